namespace TakCan.Actors.Servers;

/// <summary>
/// A server link could not be set up for a reason the operator can fix (a certificate file, a refused server
/// certificate, a timeout). The link reports the message as its last error and tries again after a backoff.
/// </summary>
public sealed class ServerLinkException : Exception
{
    public ServerLinkException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
