using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Tests.Servers.Enrolment;

public sealed class ServerConnectionImportTests : IDisposable
{
    private const string TruststorePassword = "atakatak";
    private const string ClientPassword = "client-pass";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "takcan-import-" + Guid.NewGuid().ToString("N"));
    private readonly FileKeyStore _keyStore;
    private readonly X509Certificate2 _ca = EnrolmentPki.CreateCa("TAK Package CA", issuer: null, rsa: false);
    private readonly X509Certificate2 _client;

    public ServerConnectionImportTests()
    {
        _keyStore = new FileKeyStore(_directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=alice, OU=Ops, O=TAK", key, HashAlgorithmName.SHA256);
        using var issued = EnrolmentPki.Issue(request, _ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _client = issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _client.Dispose();
        _ca.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Imports_a_server_connection_package_into_the_key_store()
    {
        var imported = await new ServerConnectionImport(_keyStore).ImportAsync(new MemoryStream(Package(streams: 1)), "ops");

        var server = Assert.Single(imported);
        Assert.Equal("ops", server.Name);
        Assert.Equal(new TakConnectString("tak.example.org", 8089, TakStreamProtocol.Ssl), server.Server);
        Assert.Equal("Ops TAK Server", server.Description);
        Assert.True(server.Enabled);
        Assert.Equal("CN=alice, OU=Ops, O=TAK", server.ClientCertificateSubject);
        Assert.Equal(1, server.CaCertificates);
        Assert.Equal(
            ["takserver-ops.ca.pem", "takserver-ops.p12", "takserver-ops.p12.password"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order());

        var store = new ServerCredentialStore(_keyStore);
        using var identity = await store.LoadIdentityAsync(server.Stored);
        Assert.Equal(_client.Thumbprint, identity?.Thumbprint);
        Assert.True(identity?.HasPrivateKey);
        var trust = await store.LoadTrustAsync(server.Stored);
        Assert.Equal(_ca.Thumbprint, Assert.Single(trust!).Thumbprint);

        // Re-encrypted under a password of its own: the package's password no longer opens what is stored.
        var stored = await _keyStore.LoadAsync(server.Stored.ClientCertificate);
        Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12Collection(stored!, ClientPassword));
    }

    [Fact]
    public async Task Names_each_connection_of_a_package()
    {
        var import = new ServerConnectionImport(_keyStore);

        var named = await import.ImportAsync(new MemoryStream(Package(streams: 2)), "ops");
        Assert.Equal(["ops", "ops-2"], named.Select(s => s.Name));

        var byHost = await import.ImportAsync(new MemoryStream(Package(streams: 2)));
        Assert.Equal(["tak.example.org", "tak.example.org-2"], byHost.Select(s => s.Name));
    }

    [Fact]
    public async Task A_hostile_package_stores_nothing()
    {
        var zip = Zip(
            ("certs/server.pref", Encoding.UTF8.GetBytes(Pref(1))),
            ("certs/truststore-root.p12", Truststore()),
            ("certs/alice.p12", ClientP12()),
            ("../../.ssh/authorized_keys", "ssh-ed25519 AAAA attacker"u8.ToArray()));

        var e = await Assert.ThrowsAsync<EnrolmentException>(() => new ServerConnectionImport(_keyStore).ImportAsync(new MemoryStream(zip)));

        Assert.Contains("zip-slip", e.Message);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private byte[] Package(int streams) => Zip(
        ("MANIFEST/manifest.xml", Encoding.UTF8.GetBytes("""
            <MissionPackageManifest version="2">
              <Configuration>
                <Parameter name="uid" value="0c7f5e0e-6d55-4a0b-9d38-8f0f4f3c1a21"/>
                <Parameter name="name" value="ops-connection"/>
              </Configuration>
              <Contents>
                <Content ignore="false" zipEntry="certs/server.pref"/>
                <Content ignore="false" zipEntry="certs/truststore-root.p12"/>
                <Content ignore="false" zipEntry="certs/alice.p12"/>
              </Contents>
            </MissionPackageManifest>
            """)),
        ("certs/server.pref", Encoding.ASCII.GetBytes(Pref(streams))),
        ("certs/truststore-root.p12", Truststore()),
        ("certs/alice.p12", ClientP12()));

    private static string Pref(int streams)
    {
        var entries = new StringBuilder();
        for (var i = 0; i < streams; i++)
            entries.Append($"""
                    <entry key="description{i}" class="class java.lang.String">Ops TAK Server</entry>
                    <entry key="enabled{i}" class="class java.lang.Boolean">true</entry>
                    <entry key="connectString{i}" class="class java.lang.String">tak.example.org:{8089 + i}:ssl</entry>

                """);
        return $"""
            <?xml version='1.0' encoding='ASCII' standalone='yes'?>
            <preferences>
              <preference version="1" name="cot_streams">
                <entry key="count" class="class java.lang.Integer">{streams}</entry>
            {entries}  </preference>
              <preference version="1" name="com.atakmap.app_preferences">
                <entry key="caLocation" class="class java.lang.String">cert/truststore-root.p12</entry>
                <entry key="caPassword" class="class java.lang.String">{TruststorePassword}</entry>
                <entry key="certificateLocation" class="class java.lang.String">cert/alice.p12</entry>
                <entry key="clientPassword" class="class java.lang.String">{ClientPassword}</entry>
              </preference>
            </preferences>
            """;
    }

    private byte[] Truststore() =>
        new X509Certificate2Collection(EnrolmentPki.Public(_ca)).ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, TruststorePassword);

    private byte[] ClientP12() =>
        new X509Certificate2Collection(new[] { _client, EnrolmentPki.Public(_ca) }).ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, ClientPassword);

    private static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(data);
            }

        return buffer.ToArray();
    }
}
