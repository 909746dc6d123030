using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Servers;

/// <summary>
/// The loaded certificates of one connection attempt and the check of the server's certificate: it must chain to
/// the configured CA (and nothing else: the system store is not consulted), be valid now, allow server
/// authentication if it restricts key usage, and name the host.
/// </summary>
internal sealed class ServerTlsMaterial : IDisposable
{
    // id-kp-serverAuth (RFC 5280, 4.2.1.12).

    private readonly X509Certificate2Collection _anchors;
    private readonly X509Certificate2? _client;
    private readonly X509Certificate2Collection _clientChain;

    public ServerTlsMaterial(
        string targetHost,
        SslProtocols protocols,
        X509Certificate2Collection anchors,
        X509Certificate2? client,
        X509Certificate2Collection clientChain)
    {
        TargetHost = targetHost;
        Protocols = protocols;
        _anchors = anchors;
        _client = client;
        _clientChain = clientChain;
    }

    public string TargetHost { get; }

    public SslProtocols Protocols { get; }

    /// <summary>Why the last server certificate was refused; null when it was accepted or not yet seen.</summary>
    public string? Rejection { get; private set; }

    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        TargetHost = TargetHost,
        EnabledSslProtocols = Protocols,
        // Revocation: TAK Server CAs rarely publish CRLs or OCSP, and a field device may have no route to them;
        // revoking a device is done on the server (specs/server-links.md, "TLS").
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        // Always present our certificate (with its chain), whatever CA names the server hints at: the server
        // decides, and a refusal then says so instead of the client silently sending nothing.
        ClientCertificateContext = _client is null ? null : SslStreamCertificateContext.Create(_client, _clientChain, offline: true),
        RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            Rejection = Check(certificate, chain, errors);
            return Rejection is null;
        },
    };

    private string? Check(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 leaf || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the server presented no certificate";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"the server certificate ({leaf.Subject}) is not issued for '{TargetHost}'";

        if (ServerCertificateChain.Problems(leaf, presented, _anchors) is not { } problems) return null;
        return $"the server certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to the configured CA: {problems}";
    }

    public void Dispose()
    {
        _client?.Dispose();
        ClientCertificateSource.Dispose(_clientChain);
        ClientCertificateSource.Dispose(_anchors);
    }
}
