using Microsoft.Extensions.Logging;

namespace TakCan.Host.Console.Api;

/// <summary>How the local API listens (specs/device.md, "Local API").</summary>
public sealed record LocalApiOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8780";

    /// <summary><c>http://HOST:PORT</c>, HOST an IP address or <c>localhost</c>; port 0 picks a free one (see <see cref="LocalApiHandle.Url"/>).</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>Bearer token. Required (and then checked on every request) when <see cref="Url"/> is not loopback.</summary>
    public string? Token { get; init; }

    /// <summary>Check the token even on loopback, e.g. on a machine shared with other users.</summary>
    public bool RequireToken { get; init; }

    /// <summary>How long a request waits for an actor before answering 503.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Where Kestrel and the API log; by default nowhere (the node says where it listens itself).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
