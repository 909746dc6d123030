using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class ServerConnectionPackageTests : IDisposable
{
    private readonly X509Certificate2 _ca = TestCertificates.Ca("TAK Root CA");
    private readonly X509Certificate2 _client;

    public ServerConnectionPackageTests()
    {
        _client = TestCertificates.Client(_ca, "alice");
    }

    public void Dispose()
    {
        _client.Dispose();
        _ca.Dispose();
    }

    [Fact]
    public void Reads_a_server_connection_package()
    {
        var package = ServerConnectionPackage.Read(new MemoryStream(TestPackages.ServerConnection(_ca, _client)));

        Assert.Equal("TAK Server ops", package.Manifest?.Name);
        Assert.Equal("5e1c7d52-0f1e-4c3a-9a1d-3c0a9a1f2b44", package.Manifest?.Uid);
        var connection = Assert.Single(package.Connections);
        Assert.Equal(new TakConnectString("tak.example.org", 8089, TakStreamProtocol.Ssl), connection.Server);
        Assert.Equal("Ops TAK Server", connection.Description);
        Assert.True(connection.Enabled);
        Assert.False(connection.UseAuth);
        Assert.Equal("certs/truststore-root.p12", connection.Truststore?.EntryName);
        Assert.Equal(TestPackages.TruststorePassword, connection.Truststore?.Password);
        Assert.Equal("certs/alice.p12", connection.ClientCertificate?.EntryName);

        var trust = connection.Truststore!.Open();
        Assert.Equal(_ca.Thumbprint, Assert.Single(trust).Thumbprint);
        var client = connection.ClientCertificate!.Open();
        Assert.Equal(_client.Thumbprint, Assert.Single(client, c => c.HasPrivateKey).Thumbprint);
    }

    [Fact]
    public void Never_shows_a_package_password()
    {
        var connection = ServerConnectionPackage.Read(new MemoryStream(TestPackages.ServerConnection(_ca, _client))).Connections[0];

        Assert.DoesNotContain(TestPackages.ClientPassword, connection.ToString());
        Assert.DoesNotContain(TestPackages.TruststorePassword, connection.ToString());
    }

    [Fact]
    public void Reads_a_package_without_manifest_with_app_wide_locations_from_a_stream_that_cannot_seek()
    {
        const string pref = """
            <?xml version="1.0" encoding="UTF-8"?>
            <preferences>
              <preference version="1" name="cot_streams">
                <entry key="count" class="class java.lang.Integer">1</entry>
                <entry key="connectString0" class="class java.lang.String">10.0.0.7:8089:ssl</entry>
              </preference>
              <preference version="1" name="com.atakmap.app_preferences">
                <entry key="caLocation" class="class java.lang.String">/storage/emulated/0/atak/cert/truststore-root.p12</entry>
                <entry key="caPassword" class="class java.lang.String">atakatak</entry>
                <entry key="certificateLocation" class="class java.lang.String">/storage/emulated/0/atak/cert/alice.p12</entry>
                <entry key="clientPassword" class="class java.lang.String">client-pass</entry>
              </preference>
            </preferences>
            """;
        var zip = TestPackages.Zip(
            ("alice/config.pref", TestPackages.Text(pref)),
            ("alice/truststore-root.p12", TestPackages.Truststore(_ca)),
            ("alice/alice.p12", TestPackages.ClientP12(_client, _ca)));

        var package = ServerConnectionPackage.Read(new ForwardOnlyStream(zip));

        Assert.Null(package.Manifest);
        var connection = Assert.Single(package.Connections);
        Assert.Equal("10.0.0.7", connection.Server.Host);
        Assert.Equal("alice/truststore-root.p12", connection.Truststore?.EntryName);
        Assert.Equal("alice/alice.p12", connection.ClientCertificate?.EntryName);
    }

    [Theory]
    [InlineData("../evil.pref")]
    [InlineData("certs/../../evil.pref")]
    [InlineData("certs\\..\\..\\evil.pref")]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("\\Windows\\evil.dll")]
    [InlineData("C:/Users/evil.dll")]
    [InlineData("certs/evil.p12:stream")]
    public void Refuses_a_package_with_a_zip_slip_entry_even_when_nothing_names_it(string hostile)
    {
        var zip = TestPackages.Zip(
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())),
            ("certs/truststore-root.p12", TestPackages.Truststore(_ca)),
            ("certs/alice.p12", TestPackages.ClientP12(_client, _ca)),
            (hostile, [1, 2, 3]));

        var e = Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip)));

        Assert.Matches("zip-slip|absolute path", e.Message);
    }

    [Fact]
    public void Refuses_a_manifest_entry_that_climbs_out()
    {
        var zip = TestPackages.Zip(
            ("MANIFEST/manifest.xml", TestPackages.Text(TestPackages.Manifest("../server.pref"))),
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())));

        Assert.Contains("zip-slip", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip))).Message);
    }

    [Fact]
    public void Refuses_a_zip_bomb_whatever_size_the_zip_claims()
    {
        // 64 MB of spaces inside a .pref deflates to about 64 KB.
        var bomb = TestPackages.Zip(("certs/server.pref", new byte[64 * 1024 * 1024]));
        Assert.True(bomb.Length < 200_000);

        var e = Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(bomb)));
        Assert.Contains("more than the", e.Message);

        // The same with the declared size lied about: .NET stops inflating at the declared size (and the budget
        // would stop it past the limit), so the entry comes out cut short and is refused as damaged XML.
        var lying = LieAboutSize(TestPackages.Zip(("certs/server.pref", new byte[4 * 1024 * 1024])), 100);
        Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(lying)));
    }

    [Fact]
    public void Refuses_a_package_over_the_total_budget()
    {
        var limits = new DataPackageLimits { MaxEntryBytes = 1024 * 1024, MaxTotalBytes = 64 * 1024 };
        var zip = TestPackages.Zip(
            ("a.pref", TestPackages.Text(TestPackages.Pref() + new string(' ', 40_000))),
            ("b.pref", TestPackages.Text(TestPackages.Pref() + new string(' ', 40_000))));

        Assert.Contains("zip bomb", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip), limits)).Message);
    }

    [Fact]
    public void Refuses_too_many_entries_and_too_large_a_package()
    {
        var many = TestPackages.Zip(Enumerable.Range(0, 600).Select(i => ($"f{i}.txt", new byte[] { 1 })).ToArray());
        Assert.Contains("entries", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(many))).Message);

        var small = new DataPackageLimits { MaxPackageBytes = 1000 };
        Assert.Contains("more than the 1000", Assert.Throws<EnrolmentException>(() =>
            ServerConnectionPackage.Read(new MemoryStream(TestPackages.ServerConnection(_ca, _client)), small)).Message);
        Assert.Contains("more than the 1000", Assert.Throws<EnrolmentException>(() =>
            ServerConnectionPackage.Read(new ForwardOnlyStream(TestPackages.ServerConnection(_ca, _client)), small)).Message);
    }

    [Fact]
    public void Refuses_a_DTD_in_the_manifest_and_in_a_pref()
    {
        const string dtd = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>";
        var manifest = TestPackages.Zip(
            ("MANIFEST/manifest.xml", TestPackages.Text(dtd + "<MissionPackageManifest version=\"2\"><Configuration><Parameter name=\"uid\" value=\"&x;\"/></Configuration></MissionPackageManifest>")),
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())));
        Assert.Contains("DTD", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(manifest))).Message);

        var pref = TestPackages.Zip(("certs/server.pref", TestPackages.Text(dtd + "<preferences>&x;</preferences>")));
        Assert.Contains("DTD", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(pref))).Message);
    }

    [Fact]
    public void Refuses_a_wrong_certificate_password()
    {
        var zip = TestPackages.Zip(
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref().Replace(TestPackages.ClientPassword, "wrong"))),
            ("certs/truststore-root.p12", TestPackages.Truststore(_ca)),
            ("certs/alice.p12", TestPackages.ClientP12(_client, _ca)));

        var e = Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip)));

        Assert.Contains("certs/alice.p12", e.Message);
        Assert.Contains("password", e.Message);
    }

    [Theory]
    [InlineData("cert/missing.p12", "does not contain missing.p12")]
    [InlineData("cert/alice.p12", "ambiguous")]
    public void Refuses_a_pref_naming_a_file_the_package_lacks_or_holds_twice(string certificateLocation, string reason)
    {
        var zip = TestPackages.Zip(
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref(certificateLocation: certificateLocation))),
            ("certs/truststore-root.p12", TestPackages.Truststore(_ca)),
            ("certs/alice.p12", TestPackages.ClientP12(_client, _ca)),
            ("other/alice.p12", TestPackages.ClientP12(_client, _ca)));

        Assert.Contains(reason, Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip))).Message);
    }

    [Fact]
    public void With_a_manifest_only_listed_files_are_used()
    {
        var zip = TestPackages.Zip(
            ("MANIFEST/manifest.xml", TestPackages.Text(TestPackages.Manifest("certs/server.pref", "certs/truststore-root.p12"))),
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())),
            ("certs/truststore-root.p12", TestPackages.Truststore(_ca)),
            ("certs/alice.p12", TestPackages.ClientP12(_client, _ca)));

        Assert.Contains("does not contain alice.p12", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip))).Message);

        var missing = TestPackages.Zip(
            ("MANIFEST/manifest.xml", TestPackages.Text(TestPackages.Manifest("certs/server.pref", "certs/gone.p12"))),
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())));
        Assert.Contains("does not contain", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(missing))).Message);
    }

    [Theory]
    [InlineData("not a zip at all", "not a zip")]
    public void Refuses_what_is_not_a_zip(string content, string reason)
    {
        Assert.Contains(reason, Assert.Throws<EnrolmentException>(() =>
            ServerConnectionPackage.Read(new MemoryStream(TestPackages.Text(content)))).Message);
    }

    [Fact]
    public void Refuses_a_package_without_a_server_connection()
    {
        var noPref = TestPackages.Zip(("readme.txt", TestPackages.Text("hello")));
        Assert.Contains("no .pref", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(noPref))).Message);

        var noStreams = TestPackages.Zip(("a.pref", TestPackages.Text("<preferences><preference name=\"other\"/></preferences>")));
        Assert.Contains("no cot_streams", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(noStreams))).Message);

        var noConnect = TestPackages.Zip(("a.pref", TestPackages.Text(
            "<preferences><preference name=\"cot_streams\"><entry key=\"count\">1</entry></preference></preferences>")));
        Assert.Contains("no connectString0", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(noConnect))).Message);

        var tooMany = TestPackages.Zip(("a.pref", TestPackages.Text(
            "<preferences><preference name=\"cot_streams\"><entry key=\"count\">1000</entry></preference></preferences>")));
        Assert.Contains("at most 16", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(tooMany))).Message);
    }

    [Fact]
    public void Refuses_duplicate_entry_names()
    {
        var zip = TestPackages.Zip(
            ("certs/server.pref", TestPackages.Text(TestPackages.Pref())),
            ("certs/SERVER.pref", TestPackages.Text(TestPackages.Pref())));

        Assert.Contains("twice", Assert.Throws<EnrolmentException>(() => ServerConnectionPackage.Read(new MemoryStream(zip))).Message);
    }

    /// <summary>Rewrites the uncompressed size of every entry, in local headers and the central directory.</summary>
    private static byte[] LieAboutSize(byte[] zip, uint size)
    {
        var bytes = (byte[])zip.Clone();
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == 0x04034b50) BitConverter.TryWriteBytes(bytes.AsSpan(i + 22, 4), size); // local file header
            else if (signature == 0x02014b50) BitConverter.TryWriteBytes(bytes.AsSpan(i + 24, 4), size); // central directory
        }

        return bytes;
    }

    /// <summary>A stream that can only be read forwards, like a network download.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
