using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Servers;

/// <summary>
/// Checks a TAK Server's certificate against the configured CA only (never the system store): the platform's chain
/// verdict in a TLS callback is against the system store, which must not decide whom a device trusts. The bridge checks
/// a mesh peer's client certificate against the same CA the same way (specs/bridge.md, "Onboarding").
/// </summary>
internal static class ServerCertificateChain
{
    public static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Null when <paramref name="leaf"/> chains to one of <paramref name="anchors"/> for server authentication; else the chain problems.</summary>
    public static string? Problems(X509Certificate2 leaf, X509Chain? presented, IEnumerable<X509Certificate2> anchors) =>
        Problems(
            leaf,
            presented is null ? [] : presented.ChainElements.Select(static e => e.Certificate).Where(c => c.Thumbprint != leaf.Thumbprint),
            anchors,
            ServerAuthentication);

    /// <summary>
    /// Null when <paramref name="leaf"/> chains through <paramref name="intermediates"/> to one of <paramref name="anchors"/>,
    /// valid now and, if it has an extended key usage, allowing <paramref name="usage"/>; else the chain problems.
    /// </summary>
    public static string? Problems(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, IEnumerable<X509Certificate2> anchors, Oid usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        // A TAK Server CA publishes no revocation list the device could reach, and nothing is fetched from the network.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        return chain.Build(leaf)
            ? null
            : string.Join("; ", chain.ChainStatus.Select(static s => s.StatusInformation.Trim()).Where(static s => s.Length > 0).Distinct());
    }
}
