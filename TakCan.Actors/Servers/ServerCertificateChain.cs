using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Servers;

/// <summary>
/// Checks a TAK Server's certificate against the configured CA only (never the system store): the platform's chain
/// verdict in a TLS callback is against the system store, which must not decide whom a device trusts.
/// </summary>
internal static class ServerCertificateChain
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Null when <paramref name="leaf"/> chains to one of <paramref name="anchors"/> for server authentication; else the chain problems.</summary>
    public static string? Problems(X509Certificate2 leaf, X509Chain? presented, IEnumerable<X509Certificate2> anchors)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        // A TAK Server CA publishes no revocation list the device could reach, and nothing is fetched from the network.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                if (element.Certificate.Thumbprint != leaf.Thumbprint)
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(leaf)
            ? null
            : string.Join("; ", chain.ChainStatus.Select(static s => s.StatusInformation.Trim()).Where(static s => s.Length > 0).Distinct());
    }
}
