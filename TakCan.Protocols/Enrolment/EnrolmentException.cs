namespace TakCan.Protocols.Enrolment;

/// <summary>
/// The one error raised while getting this device a TAK Server certificate and trust, by enrolment or by importing a
/// server-connection data package: a malformed code, a refused login, an untrusted server, a hostile package. The
/// message says what is wrong and what to do about it (specs/enrolment.md).
/// </summary>
public sealed class EnrolmentException : Exception
{
    public EnrolmentException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
