using System.Net;
using System.Reflection;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>Settings of <see cref="CertificateEnrolment"/>.</summary>
public sealed record EnrolmentOptions
{
    public static EnrolmentOptions Default { get; } = new();

    /// <summary>
    /// Sent as <c>version=</c>; TAK Server adds the channels extended key usage to certificates of clients that send
    /// one (TAK 4.4 and later).
    /// </summary>
    public string ClientVersion { get; init; } =
        "TAK Can " + (typeof(EnrolmentOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1");

    public EnrolmentKeyAlgorithm KeyAlgorithm { get; init; } = EnrolmentKeyAlgorithm.Rsa2048;

    /// <summary>Limit on each HTTPS request, connection included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest answer read from the server, in bytes.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024;

    /// <summary>An HTTP proxy to go through; none by default (a device talks to its TAK Server directly).</summary>
    public IWebProxy? Proxy { get; init; }
}
