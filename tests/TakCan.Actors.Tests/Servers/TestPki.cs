using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Actors.Tests.Servers;

/// <summary>
/// Certificates for the TLS tests, made once per run with the inbox <see cref="CertificateRequest"/>: a TAK CA with a
/// server certificate for 127.0.0.1/localhost and a client certificate, a rogue CA with its own server and client
/// certificates, and a server certificate for another host. Files (PEM CA, PKCS#12 and PEM client) live in a temp
/// directory, as an operator's would.
/// </summary>
internal sealed class TestPki
{
    public const string ClientPassword = "atakatak";

    private static readonly Lazy<TestPki> Instance = new(() => new TestPki());

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    private TestPki()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("takcan-pki-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(Directory, recursive: true);
        Ca = CreateCa("TAK Can Test Root CA");
        RogueCa = CreateCa("Rogue Root CA");
        Server = Issue(Ca, "takserver", server: true, "localhost", IPAddress.Loopback);
        RogueServer = Issue(RogueCa, "takserver", server: true, "localhost", IPAddress.Loopback);
        WrongHostServer = Issue(Ca, "elsewhere", server: true, "elsewhere.example", IPAddress.Parse("192.0.2.7"));
        Client = Issue(Ca, "ANDROID-device", server: false);
        RogueClient = Issue(RogueCa, "ANDROID-device", server: false);

        CaFile = Write("ca.pem", Ca.ExportCertificatePem());
        ClientP12 = Write("client.p12", Client.Export(X509ContentType.Pkcs12, ClientPassword));
        RogueClientP12 = Write("rogue-client.p12", RogueClient.Export(X509ContentType.Pkcs12, ClientPassword));
        ClientCertificatePem = Write("client.pem", Client.ExportCertificatePem());
        ClientKeyPem = Write("client.key", Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public static TestPki Shared => Instance.Value;

    public string Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 RogueCa { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 RogueServer { get; }

    public X509Certificate2 WrongHostServer { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 RogueClient { get; }

    public string CaFile { get; }

    public string ClientP12 { get; }

    public string RogueClientP12 { get; }

    public string ClientCertificatePem { get; }

    public string ClientKeyPem { get; }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> alone (the fake server's client check).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca, Oid usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(certificate);
    }

    public static Oid ClientUsage => ClientAuthentication;

    private static X509Certificate2 CreateCa(string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=TAK Can Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string commonName, bool server, string? dnsName = null, IPAddress? address = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=TAK, OU=TAK", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([server ? ServerAuthentication : ClientAuthentication], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (dnsName is not null || address is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            if (dnsName is not null) names.AddDnsName(dnsName);
            if (address is not null) names.AddIpAddress(address);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddHours(-1), now.AddMonths(6), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.ASCII.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
