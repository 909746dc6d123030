using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Tests.Servers.Enrolment;

/// <summary>
/// A TAK Server PKI made in the test, shaped like the one TAK Server's makeRootCa.sh and makeCert.sh build: an RSA
/// root CA, an RSA intermediate that signs client certificates, and a server certificate for 127.0.0.1 issued by the
/// intermediate. Shared by a test class: RSA keys take a moment to generate.
/// </summary>
public sealed class EnrolmentPki : IDisposable
{
    public EnrolmentPki()
    {
        Root = CreateCa("TAK Test Root CA", issuer: null);
        Intermediate = CreateCa("TAK Test Intermediate CA", Root);
        Server = CreateServer(Intermediate, "127.0.0.1", IPAddress.Loopback);
        OtherRoot = CreateCa("Somebody Else's CA", issuer: null, rsa: false);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public X509Certificate2 Server { get; }

    /// <summary>A CA that has nothing to do with the server.</summary>
    public X509Certificate2 OtherRoot { get; }

    /// <summary>A certificate without its private key, as a client would be given it.</summary>
    public static X509Certificate2 Public(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    public static X509Certificate2 CreateCa(string name, X509Certificate2? issuer, bool rsa = true)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest($"CN={name}, OU=TAK, O=TAK Can Tests", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={name}, OU=TAK, O=TAK Can Tests", (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        if (issuer is null)
            return request.CreateSelfSigned(notBefore, DateTimeOffset.UtcNow.AddYears(2));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = Issue(request, issuer, notBefore, DateTimeOffset.UtcNow.AddYears(1));
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>A TLS server certificate for <paramref name="dnsName"/> (and <paramref name="address"/>), ECDSA for speed.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 issuer, string dnsName, IPAddress? address)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}, OU=TAK, O=TAK Can Tests", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (address is not null) names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issued = Issue(request, issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>Signs <paramref name="request"/> with <paramref name="issuer"/>'s key, whatever the two key types.</summary>
    public static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var generator = issuer.GetRSAPrivateKey() is { } rsa
            ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa(issuer.GetECDsaPrivateKey()!);
        return request.Create(issuer.SubjectName, generator, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
    }

    public void Dispose()
    {
        Server.Dispose();
        Intermediate.Dispose();
        Root.Dispose();
        OtherRoot.Dispose();
    }
}
