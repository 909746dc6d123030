namespace TakCan.Protocols.MartiApi;

/// <summary>
/// The one error raised while talking to a TAK Server's Marti API (channels, missions, contents): an answer that is not
/// what TAK Server sends, an answer over a limit, a refused or unreachable server. The message says what is wrong and,
/// where there is something to do, what (specs/marti.md).
/// </summary>
public sealed class MartiException : Exception
{
    public MartiException(string message, Exception? inner = null, int? statusCode = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the server answered with, when the refusal came from one.</summary>
    public int? StatusCode { get; }
}
