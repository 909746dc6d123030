using System.Net;
using System.Security.Authentication;
using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>Settings of <see cref="MartiClient"/>.</summary>
public sealed record MartiClientOptions
{
    public static MartiClientOptions Default { get; } = new();

    /// <summary>Limit on each request, from connecting to the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sizes and counts of what is read (JSON, mission CoT, contents).</summary>
    public MartiLimits Limits { get; init; } = MartiLimits.Default;

    /// <summary>The name the server certificate must carry; default: the host of the base address.</summary>
    public string? ServerName { get; init; }

    /// <summary>TLS 1.2 and 1.3; nothing older is accepted.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>An HTTP proxy to go through; none by default (a device talks to its TAK Server directly).</summary>
    public IWebProxy? Proxy { get; init; }
}
