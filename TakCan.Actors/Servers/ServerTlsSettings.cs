using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TakCan.Actors.Servers;

/// <summary>
/// TLS to a TAK Server (port 8089 on a stock server). The server is verified against <see cref="CaFile"/> only and
/// its certificate must name the host: there is deliberately no way to accept any certificate.
/// </summary>
public sealed record ServerTlsSettings
{
    /// <summary>
    /// The CA certificates the server's certificate must chain to: PEM (one or more), DER, or a PKCS#12 truststore
    /// (TAK's <c>truststore-root.p12</c>, with <see cref="CaPassword"/>).
    /// </summary>
    public required string CaFile { get; init; }

    public string? CaPassword { get; init; }

    /// <summary>The certificate this device proves itself with; null only for servers that authenticate by password.</summary>
    public ClientCertificateSource? ClientCertificate { get; init; }

    /// <summary>The name the server certificate must carry (and SNI); default: the link's host.</summary>
    public string? ServerName { get; init; }

    /// <summary>TLS 1.2 and 1.3 by default; nothing older is accepted.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Loads the CA and client certificate (from disk each time, so renewed files are picked up).</summary>
    /// <exception cref="ServerLinkException">A file is missing or unreadable, or the protocols are too old.</exception>
    internal ServerTlsMaterial Load(string host)
    {
        if (Protocols == SslProtocols.None || (Protocols & ~(SslProtocols.Tls12 | SslProtocols.Tls13)) != 0)
            throw new ServerLinkException($"TLS protocols {Protocols}: only TLS 1.2 and 1.3 are allowed");
        var anchors = LoadAuthorities();
        if (anchors.Count == 0) throw new ServerLinkException($"CA file {CaFile} holds no certificate");
        try
        {
            var client = ClientCertificate?.Load();
            return new ServerTlsMaterial(ServerName ?? host, Protocols, anchors, client?.Certificate, client?.Chain ?? []);
        }
        catch
        {
            ClientCertificateSource.Dispose(anchors);
            throw;
        }
    }

    /// <summary>The CA certificates of <see cref="CaFile"/>; the Marti API client verifies the server with them too.</summary>
    /// <exception cref="ServerLinkException">The file is missing or unreadable.</exception>
    internal X509Certificate2Collection LoadAuthorities()
    {
        try
        {
            var bytes = File.ReadAllBytes(CaFile);
            var anchors = new X509Certificate2Collection();
            if (bytes.AsSpan().IndexOf("-----BEGIN CERTIFICATE-----"u8) >= 0)
                anchors.ImportFromPem(Encoding.ASCII.GetString(bytes));
            else if (CaPassword is not null)
                anchors.AddRange(X509CertificateLoader.LoadPkcs12Collection(bytes, CaPassword));
            else
                anchors.Add(X509CertificateLoader.LoadCertificate(bytes));
            return anchors;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ServerLinkException(
                $"CA file {CaFile}: cannot read it as PEM, DER{(CaPassword is null ? " (a PKCS#12 truststore needs its password)" : " or PKCS#12")}: {e.Message}",
                e);
        }
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CaFile = ").Append(CaFile);
        if (CaPassword is not null) builder.Append(", CaPassword = ***");
        builder.Append(", ClientCertificate = ").Append(ClientCertificate);
        if (ServerName is not null) builder.Append(", ServerName = ").Append(ServerName);
        builder.Append(", Protocols = ").Append(Protocols);
        return true;
    }
}
