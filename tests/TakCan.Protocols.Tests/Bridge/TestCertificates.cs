using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Protocols.Tests.Bridge;

/// <summary>Self-signed certificates with their keys: enough for signatures (chains are the bridge's business).</summary>
internal static class TestCertificates
{
    public static readonly X509Certificate2 Rsa = Create(RSA.Create(2048));
    public static readonly X509Certificate2 Ecdsa = Create(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    public static readonly X509Certificate2 OtherEcdsa = Create(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private static X509Certificate2 Create(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=alice, O=TAK", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest("CN=alice, O=TAK", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
        };
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
