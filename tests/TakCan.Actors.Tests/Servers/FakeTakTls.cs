using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Tests.Servers;

/// <summary>The server side of mutual TLS: TAK Server's default is TLS 1.2 with a required client certificate.</summary>
public sealed record FakeTakTls(X509Certificate2 ServerCertificate, X509Certificate2 ClientCa, SslProtocols Protocols = SslProtocols.Tls12)
{
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = SslStreamCertificateContext.Create(ServerCertificate, [], offline: true),
        ClientCertificateRequired = true,
        EnabledSslProtocols = Protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 client && TestPki.ChainsTo(client, ClientCa, TestPki.ClientUsage),
    };
}
