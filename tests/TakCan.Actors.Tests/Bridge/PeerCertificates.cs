using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TakCan.Actors.Tests.Servers;

namespace TakCan.Actors.Tests.Bridge;

/// <summary>Client certificates of mesh peers, issued by the test TAK CA (<see cref="TestPki"/>) as enrolment would.</summary>
internal static class PeerCertificates
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>An RSA 2048 client certificate for user <paramref name="user"/>, as TAK Server's CA issues them.</summary>
    public static X509Certificate2 Rsa(string user) => Issue(TestPki.Shared.Ca, user, RSA.Create(2048), ClientAuthentication);

    /// <summary>An ECDSA P-256 client certificate (enrolment's other key type).</summary>
    public static X509Certificate2 Ecdsa(string user) => Issue(TestPki.Shared.Ca, user, ECDsa.Create(ECCurve.NamedCurves.nistP256), ClientAuthentication);

    /// <summary>From the right CA, but for servers only: not a client certificate.</summary>
    public static X509Certificate2 ServerOnly(string user) => Issue(TestPki.Shared.Ca, user, ECDsa.Create(ECCurve.NamedCurves.nistP256), ServerAuthentication);

    public static X509Certificate2 Expired(string user) =>
        Issue(TestPki.Shared.Ca, user, ECDsa.Create(ECCurve.NamedCurves.nistP256), ClientAuthentication, DateTimeOffset.UtcNow.AddHours(-20), DateTimeOffset.UtcNow.AddHours(-1));

    /// <summary>A client certificate of a CA the bridge does not trust.</summary>
    public static X509Certificate2 FromRogueCa(string user) => Issue(TestPki.Shared.RogueCa, user, ECDsa.Create(ECCurve.NamedCurves.nistP256), ClientAuthentication);

    private static X509Certificate2 Issue(X509Certificate2 ca, string user, AsymmetricAlgorithm key, Oid usage, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var subject = $"CN={user}, O=TAK, OU=TAK";
        var request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        // The CA's key is ECDSA: an RSA leaf needs the CA's signature generator, not the request's own algorithm.
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), from ?? now.AddHours(-1), until ?? now.AddMonths(6), serial);
        return key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            _ => issued.CopyWithPrivateKey((ECDsa)key),
        };
    }
}
