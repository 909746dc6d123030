using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Bridge;

namespace TakCan.Actors.Bridge;

/// <summary>
/// Reads, for each configured server, the CA certificates the device trusts it by: the same <c>ca</c> its link uses (a
/// file, or <c>keystore:NAME</c>). They decide whom the bridge onboards for that server, and name its realm.
/// </summary>
internal static class BridgeTrust
{
    public static async Task<IReadOnlyList<BridgeServer>> LoadAsync(IEnumerable<ServerEntry> entries, IKeyStore? credentials)
    {
        var servers = new List<BridgeServer>();
        foreach (var entry in entries)
        {
            (string Host, int Port, bool Tls) endpoint;
            try
            {
                endpoint = entry.Endpoint();
            }
            catch (ArgumentException)
            {
                continue; // a hand-edited entry that does not validate has no link to bridge
            }

            if (!endpoint.Tls)
            {
                servers.Add(new BridgeServer(entry.Name, BridgeRealm.ForPlainTcp(endpoint.Host, endpoint.Port), []));
                continue;
            }

            var authorities = await AuthoritiesAsync(entry, credentials);
            var realm = authorities.Count > 0 ? BridgeRealm.ForAuthorities(authorities) : BridgeRealm.ForPlainTcp("ssl:" + endpoint.Host, endpoint.Port);
            servers.Add(new BridgeServer(entry.Name, realm, authorities));
        }

        return servers;
    }

    /// <summary>The server's CA certificates; none when they cannot be read (the link reports that problem itself).</summary>
    private static async Task<IReadOnlyList<X509Certificate2>> AuthoritiesAsync(ServerEntry entry, IKeyStore? credentials)
    {
        try
        {
            byte[]? bytes;
            if (entry.CaInKeyStore is { } name)
                bytes = credentials is null ? null : await credentials.LoadAsync(ServerCredentialNames.For(name).CaCertificates);
            else if (entry.Ca is { } file)
                bytes = await File.ReadAllBytesAsync(file);
            else
                bytes = null;
            if (bytes is null) return [];
            var collection = new X509Certificate2Collection();
            if (bytes.AsSpan().IndexOf("-----BEGIN CERTIFICATE-----"u8) >= 0) collection.ImportFromPem(Encoding.ASCII.GetString(bytes));
            else collection.Add(X509CertificateLoader.LoadCertificate(bytes));
            return collection.ToArray();
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or Protocols.Enrolment.EnrolmentException)
        {
            return [];
        }
    }
}
