using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TakCan.Protocols.Tests.Enrolment;

/// <summary>Data packages built in the test, laid out as TAK Server's and ATAK's tools lay them out.</summary>
internal static class TestPackages
{
    public const string TruststorePassword = "atakatak";
    public const string ClientPassword = "client-pass";

    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static string Manifest(params string[] entries) => $"""
        <MissionPackageManifest version="2">
           <Configuration>
              <Parameter name="uid" value="5e1c7d52-0f1e-4c3a-9a1d-3c0a9a1f2b44"/>
              <Parameter name="name" value="TAK Server ops"/>
              <Parameter name="onReceiveDelete" value="true"/>
           </Configuration>
           <Contents>
        {string.Concat(entries.Select(e => $"      <Content ignore=\"false\" zipEntry=\"{e}\"/>\n"))}   </Contents>
        </MissionPackageManifest>
        """;

    /// <summary>A .pref as TAK Server's enrolment data package tooling writes one (ASCII declaration, per-stream locations).</summary>
    public static string Pref(string connectString = "tak.example.org:8089:ssl", string caLocation = "cert/truststore-root.p12", string certificateLocation = "cert/alice.p12") => $"""
        <?xml version='1.0' encoding='ASCII' standalone='yes'?>
        <preferences>
          <preference version="1" name="cot_streams">
            <entry key="count" class="class java.lang.Integer">1</entry>
            <entry key="description0" class="class java.lang.String">Ops TAK Server</entry>
            <entry key="enabled0" class="class java.lang.Boolean">true</entry>
            <entry key="connectString0" class="class java.lang.String">{connectString}</entry>
            <entry key="caLocation0" class="class java.lang.String">{caLocation}</entry>
            <entry key="caPassword0" class="class java.lang.String">{TruststorePassword}</entry>
            <entry key="certificateLocation0" class="class java.lang.String">{certificateLocation}</entry>
            <entry key="clientPassword0" class="class java.lang.String">{ClientPassword}</entry>
            <entry key="useAuth0" class="class java.lang.Boolean">false</entry>
          </preference>
          <preference version="1" name="com.atakmap.app_preferences">
            <entry key="displayServerConnectionWidget" class="class java.lang.Boolean">true</entry>
          </preference>
        </preferences>
        """;

    public static byte[] Truststore(X509Certificate2 ca) =>
        new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(ca.RawData))
            .ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, TruststorePassword);

    public static byte[] ClientP12(X509Certificate2 client, X509Certificate2 ca) =>
        new X509Certificate2Collection(new[] { client, X509CertificateLoader.LoadCertificate(ca.RawData) })
            .ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, ClientPassword);

    /// <summary>A complete server-connection package: manifest, .pref, truststore and client certificate.</summary>
    public static byte[] ServerConnection(X509Certificate2 ca, X509Certificate2 client) => Zip(
        ("MANIFEST/manifest.xml", Text(Manifest("certs/server.pref", "certs/truststore-root.p12", "certs/alice.p12"))),
        ("certs/server.pref", Text(Pref())),
        ("certs/truststore-root.p12", Truststore(ca)),
        ("certs/alice.p12", ClientP12(client, ca)));
}
