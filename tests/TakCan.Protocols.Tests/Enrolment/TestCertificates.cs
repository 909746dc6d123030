using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Protocols.Tests.Enrolment;

/// <summary>Small certificates made in the test: a CA and leaves it issues (ECDSA P-256, fast to generate).</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=TAK", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A client certificate issued by <paramref name="ca"/>, with its private key.</summary>
    public static X509Certificate2 Client(X509Certificate2 ca, string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=TAK", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>TAK Server's way of writing a certificate in signClient answers: base64, a line break every 64 characters.</summary>
    public static string TakBase64(X509Certificate2 certificate) =>
        string.Join("\n", Convert.ToBase64String(certificate.RawData).Chunk(64).Select(chunk => new string(chunk)));
}
