namespace TakCan.Host.Console.Api;

/// <summary>A call to a node's local API did not succeed; the message is the node's own error, or says why there was none.</summary>
/// <param name="StatusCode">The HTTP status, when the node answered at all.</param>
public sealed class LocalApiCallException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;

    /// <summary>With 429: how long the node asked to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
