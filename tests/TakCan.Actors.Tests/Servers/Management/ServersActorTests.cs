using System.IO.Compression;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using TakCan.Actors.Device;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Actors.Tests.Servers.Enrolment;
using TakCan.Protocols.Enrolment;
using static TakCan.Actors.Servers.ServerLinkProtocol;
using static TakCan.Actors.Servers.ServersProtocol;

namespace TakCan.Actors.Tests.Servers.Management;

/// <summary>The device's servers part against fake TAK Servers: servers added, removed, enrolled and imported at runtime.</summary>
public sealed class ServersActorTests : ServerLinkTestKit
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static readonly ServerIdentity Identity = new(DeviceUid, "VIPER");

    private readonly string _directory = Directory.CreateTempSubdirectory("takcan-servers-").FullName;
    private readonly FileKeyStore _keyStore;

    public ServersActorTests()
    {
        _keyStore = new FileKeyStore(Path.Combine(_directory, "credentials"));
    }

    private string ServersFile => Path.Combine(_directory, "servers.json");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_server_added_at_runtime_links_at_once_and_events_flow_both_ways()
    {
        var server = Server();
        var device = CreateTestProbe();
        var servers = Servers(device);

        var added = await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", server)));
        await server.NextSessionAsync();
        servers.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        var (_, sent) = await server.NextEventAsync();
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        var received = await ExpectCotAsync(device);

        Assert.Equal("alpha", added.Entry.Name);
        Assert.Equal("SELF", sent.Detail.Contact!.Callsign);
        Assert.Equal("BRAVO", received.Detail.Contact!.Callsign);
        var listed = Assert.Single((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);
        Assert.Equal(Tcp("alpha", server), listed.Entry);
        Assert.Equal("tcp://127.0.0.1:" + server.Port, listed.Status?.Endpoint);
        Assert.Equal(1, listed.Status?.Counters.EventsOut);
        Assert.Null(listed.Problem);
    }

    [Fact]
    public async Task Every_event_goes_to_every_link()
    {
        var (alpha, bravo) = (Server(), Server());
        var servers = Servers(CreateTestProbe());
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", alpha)));
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("bravo", bravo)));
        await Task.WhenAll(alpha.NextSessionAsync(), bravo.NextSessionAsync());

        servers.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));

        Assert.Equal("SELF", (await alpha.NextEventAsync()).Event.Detail.Contact!.Callsign);
        Assert.Equal("SELF", (await bravo.NextEventAsync()).Event.Detail.Contact!.Callsign);
    }

    [Fact]
    public async Task Remove_closes_the_link_and_the_name_can_be_used_again_at_once()
    {
        var server = Server();
        var servers = Servers(CreateTestProbe());
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", server)));
        var first = await server.NextSessionAsync();
        var link = await Sys.ActorSelection(servers.Path / "server-alpha").ResolveOne(Patience);
        Watch(link);

        Assert.Equal(new ServerRemoved("alpha"), await AskAsync<ServerRemoved>(servers, new RemoveServer("alpha")));
        // Added again before the old link has gone: the new one waits for the name.
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", server)));

        await ExpectTerminatedAsync(link, Patience);
        await AwaitAssertAsync(() => Assert.True(first.IsClosed), Patience);
        var second = await server.NextSessionAsync();
        Assert.NotSame(first, second);
        Assert.Single((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);
        var refused = await AskAsync<ServerRefused>(servers, new RemoveServer("nobody"));
        Assert.Equal(ServerRefusal.NotFound, refused.Reason);
    }

    [Fact]
    public async Task The_servers_file_is_saved_0600_and_a_new_actor_links_the_same_servers()
    {
        var plain = Server();
        var tls = Server(new FakeTakServerOptions { Tls = new FakeTakTls(Pki.Server, Pki.Ca) });
        var first = Servers(CreateTestProbe());
        var secure = new ServerEntry
        {
            Name = "secure",
            Url = "ssl://127.0.0.1:" + tls.Port,
            Certificate = Pki.ClientP12,
            CertificatePassword = TestPki.ClientPassword,
            Ca = Pki.CaFile,
        };
        await AskAsync<ServerAdded>(first, new AddServer(Tcp("plain", plain)));
        await AskAsync<ServerAdded>(first, new AddServer(secure));
        await AskAsync<ServerRemoved>(first, new RemoveServer("plain"));
        await AskAsync<ServerAdded>(first, new AddServer(Tcp("plain", plain)));
        await Task.WhenAll(tls.NextSessionAsync(), plain.NextSessionAsync(), plain.NextSessionAsync());
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first, Patience);

        using (var json = JsonDocument.Parse(await File.ReadAllBytesAsync(ServersFile)))
        {
            var saved = json.RootElement.GetProperty("servers").EnumerateArray().ToList();
            Assert.Equal(["secure", "plain"], saved.Select(s => s.GetProperty("name").GetString()));
            Assert.Equal(Pki.ClientP12, saved[0].GetProperty("certificate").GetString());
        }

        if (!OperatingSystem.IsWindows()) Assert.Equal(FileKeyStore.FileMode, File.GetUnixFileMode(ServersFile));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));

        var device = CreateTestProbe();
        var second = Servers(device, "servers-again");
        var tlsSession = await tls.NextSessionAsync();
        await plain.NextSessionAsync();
        await tls.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));

        Assert.Equal(Pki.Client.Thumbprint, tlsSession.ClientCertificate?.Thumbprint);
        Assert.Equal("BRAVO", (await ExpectCotAsync(device, "server:secure")).Detail.Contact!.Callsign);
        var listed = (await AskAsync<ServerList>(second, ListServers.Instance)).Servers;
        Assert.Equal([secure, Tcp("plain", plain)], listed.Select(s => s.Entry));
    }

    [Fact]
    public async Task A_bad_servers_file_is_logged_links_nothing_and_is_kept_aside_when_servers_change()
    {
        await File.WriteAllTextAsync(ServersFile, "{ \"servers\": [ { \"name\": ");
        var server = Server();

        IActorRef servers = ActorRefs.Nobody;
        await EventFilter.Error(contains: "cannot be read").ExpectOneAsync(() =>
        {
            servers = Servers(CreateTestProbe());
            return Task.CompletedTask;
        });

        Assert.Empty((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", server)));
        await server.NextSessionAsync();
        Assert.Equal("{ \"servers\": [ { \"name\": ", await File.ReadAllTextAsync(ServersFile + ".bad"));
        Assert.Contains("\"alpha\"", await File.ReadAllTextAsync(ServersFile));
    }

    [Fact]
    public async Task A_hand_edited_entry_that_is_wrong_is_listed_with_its_problem_and_the_rest_run()
    {
        var server = Server();
        await File.WriteAllTextAsync(ServersFile, $$"""
            {
              // edited by hand
              "servers": [
                { "name": "broken", "url": "http://tak.example.org" },
                { "name": "alpha", "url": "tcp://127.0.0.1:{{server.Port}}" },
                { "name": "ALPHA", "url": "tcp://127.0.0.1:1" },
              ]
            }
            """);

        var servers = Servers(CreateTestProbe());
        await server.NextSessionAsync();

        var listed = (await AskAsync<ServerList>(servers, ListServers.Instance)).Servers;
        Assert.Equal(["broken", "alpha"], listed.Select(s => s.Entry.Name));
        Assert.Contains("tcp://HOST:PORT or ssl://HOST:PORT", listed[0].Problem);
        Assert.Null(listed[0].Status);
        Assert.Equal(new ServerRemoved("broken"), await AskAsync<ServerRemoved>(servers, new RemoveServer("broken")));
    }

    [Fact]
    public async Task Refuses_what_no_link_could_use_and_changes_nothing()
    {
        var server = Server();
        var servers = Servers(CreateTestProbe());
        await AskAsync<ServerAdded>(servers, new AddServer(Tcp("alpha", server)));
        var ssl = new ServerEntry { Name = "secure", Url = "ssl://127.0.0.1:8089", Certificate = Pki.ClientP12, CertificatePassword = TestPki.ClientPassword, Ca = Pki.CaFile };

        var refusals = new[]
        {
            await Refused(Tcp("alpha", server)),
            await Refused(Tcp("ALPHA", server)),
            await Refused(Tcp("alpha", server) with { Name = "../etc" }),
            await Refused(Tcp("other", server) with { Url = "http://127.0.0.1:8087" }),
            await Refused(Tcp("other", server) with { Url = "tcp://127.0.0.1" }),
            await Refused(ssl with { Ca = null }),
            await Refused(ssl with { Certificate = "client.p12" }),
            await Refused(ssl with { CertificatePassword = "wrong" }),
            await Refused(ssl with { Certificate = Path.Combine(_directory, "missing.p12") }),
            await Refused(ssl with { Certificate = ServerEntry.InKeyStore("nothing-stored"), CertificatePassword = null }),
            await Refused(Tcp("other", server) with { Username = "alice" }),
        };

        Assert.Equal(
            [ServerRefusal.NameTaken, ServerRefusal.NameTaken, ServerRefusal.Invalid, ServerRefusal.Invalid, ServerRefusal.Invalid, ServerRefusal.Invalid,
             ServerRefusal.Invalid, ServerRefusal.Invalid, ServerRefusal.Invalid, ServerRefusal.Invalid, ServerRefusal.Invalid],
            refusals.Select(r => r.Reason));
        Assert.Contains("CA", refusals[5].Message);
        Assert.Contains("full path", refusals[6].Message);
        Assert.Contains("wrong password?", refusals[7].Message);
        Assert.Contains("missing.p12", refusals[8].Message);
        Assert.Contains("takserver-nothing-stored.p12", refusals[9].Message);
        Assert.Single((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);

        async Task<ServerRefused> Refused(ServerEntry entry) => await AskAsync<ServerRefused>(servers, new AddServer(entry));
    }

    [Fact]
    public async Task A_data_package_is_imported_and_its_server_linked_with_the_stored_certificate()
    {
        var tls = Server(new FakeTakServerOptions { Tls = new FakeTakTls(Pki.Server, Pki.Ca) });
        var servers = Servers(CreateTestProbe());

        var imported = await AskAsync<ServersImported>(servers, new ImportServers(Package($"127.0.0.1:{tls.Port}:ssl", "127.0.0.1:8090:quic"), "ops"));
        var session = await tls.NextSessionAsync();

        var entry = Assert.Single(imported.Added);
        Assert.Equal(new ServerEntry { Name = "ops", Url = "ssl://127.0.0.1:" + tls.Port, Certificate = "keystore:ops", Ca = "keystore:ops" }, entry);
        Assert.Contains("QUIC", Assert.Single(imported.Notes));
        Assert.Equal(Pki.Client.Thumbprint, session.ClientCertificate?.Thumbprint);
        Assert.True(File.Exists(_keyStore.PathOf("takserver-ops.p12")));
        Assert.Contains("\"certificate\": \"keystore:ops\"", await File.ReadAllTextAsync(ServersFile));
        Assert.DoesNotContain("InKeyStore", await File.ReadAllTextAsync(ServersFile));
        var refused = await AskAsync<ServerRefused>(servers, new ImportServers(Package($"127.0.0.1:{tls.Port}:ssl"), "ops"));
        Assert.Equal(ServerRefusal.NameTaken, refused.Reason);
        var hostile = await AskAsync<ServerRefused>(servers, new ImportServers("not a zip"u8.ToArray()));
        Assert.Equal(ServerRefusal.Invalid, hostile.Reason);
    }

    [Fact]
    public async Task Enrols_for_a_certificate_and_starts_a_tls_link_with_it()
    {
        using var pki = new EnrolmentPki();
        await using var marti = await FakeMartiServer.StartAsync(pki);
        // FakeTakTls checks client certificates against one anchor without intermediates, and enrolment issues from
        // an intermediate, so this server cannot accept the enrolled certificate: the test shows the link trying TLS
        // with it. That key-store certificates link end to end is shown by the data package test.
        var tak = Server(new FakeTakServerOptions { Tls = new FakeTakTls(pki.Server, pki.Root) });
        var servers = Servers(CreateTestProbe());
        var target = EnrolmentTarget.Create($"127.0.0.1:{tak.Port}:ssl", "alice", enrolmentPort: marti.Port);
        var trust = EnrolmentTrust.Authority([EnrolmentPki.Public(pki.Root)]);

        var enrolled = await AskAsync<ServerEnrolled>(servers, new EnrollServer("ops", target, "s3cret", trust), TimeSpan.FromSeconds(20));

        Assert.Equal(new ServerEntry { Name = "ops", Url = "ssl://127.0.0.1:" + tak.Port, Certificate = "keystore:ops", Ca = "keystore:ops" }, enrolled.Entry);
        Assert.Equal("CN=alice, OU=Ops, O=TAK Can Tests", enrolled.Result.Subject);
        Assert.Contains(marti.Requests, r => r.PathAndQuery.Contains("clientUid=" + DeviceUid));
        Assert.True(File.Exists(_keyStore.PathOf("takserver-ops.p12")));
        await AwaitAssertAsync(() => Assert.True(tak.HandshakeFailures >= 1), Patience);
        var listed = Assert.Single((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);
        Assert.Equal("ssl://127.0.0.1:" + tak.Port, listed.Status?.Endpoint);

        var wrongPassword = await AskAsync<ServerRefused>(servers, new EnrollServer("other", target, "wrong", trust), TimeSpan.FromSeconds(20));
        var taken = await AskAsync<ServerRefused>(servers, new EnrollServer("ops", target, "s3cret", trust));
        var tcp = await AskAsync<ServerRefused>(servers, new EnrollServer("plain", target with { Server = new TakConnectString("127.0.0.1", 8087, TakStreamProtocol.Tcp) }, "s3cret", trust));

        Assert.Equal(ServerRefusal.EnrolmentFailed, wrongPassword.Reason);
        Assert.Contains("refused user 'alice'", wrongPassword.Message);
        Assert.Equal(ServerRefusal.NameTaken, taken.Reason);
        Assert.Equal(ServerRefusal.Invalid, tcp.Reason);
        Assert.False(File.Exists(_keyStore.PathOf("takserver-other.p12")));
        Assert.Single((await AskAsync<ServerList>(servers, ListServers.Instance)).Servers);
    }

    private IActorRef Servers(TestProbe device, string name = "servers") =>
        Sys.ActorOf(ServersActor.Props(ServersFile, _keyStore, Identity, device,
            new EnrolmentOptions { KeyAlgorithm = EnrolmentKeyAlgorithm.EcdsaP256 },
            settings => settings with
            {
                MinBackoff = TimeSpan.FromMilliseconds(50),
                MaxBackoff = TimeSpan.FromMilliseconds(250),
                PingInterval = TimeSpan.FromSeconds(1),
                OfferTimeout = TimeSpan.FromSeconds(1),
                ConnectTimeout = TimeSpan.FromSeconds(3),
            }), name);

    private static ServerEntry Tcp(string name, FakeTakServer server) => new() { Name = name, Url = "tcp://127.0.0.1:" + server.Port };

    private static async Task<T> AskAsync<T>(IActorRef servers, object message, TimeSpan? timeout = null)
    {
        var reply = await servers.Ask<object>(message, timeout ?? Patience);
        return reply is T expected ? expected : throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {reply}");
    }

    /// <summary>A server-connection data package for <paramref name="connectStrings"/>, with the test PKI's CA and client certificate.</summary>
    private static byte[] Package(params string[] connectStrings)
    {
        var streams = new StringBuilder();
        for (var i = 0; i < connectStrings.Length; i++)
            streams.Append($"""<entry key="connectString{i}" class="class java.lang.String">{connectStrings[i]}</entry>""");
        var pref = $"""
            <?xml version='1.0' encoding='ASCII' standalone='yes'?>
            <preferences>
              <preference version="1" name="cot_streams">
                <entry key="count" class="class java.lang.Integer">{connectStrings.Length}</entry>
                {streams}
              </preference>
              <preference version="1" name="com.atakmap.app_preferences">
                <entry key="caLocation" class="class java.lang.String">cert/truststore-root.p12</entry>
                <entry key="caPassword" class="class java.lang.String">atakatak</entry>
                <entry key="certificateLocation" class="class java.lang.String">cert/client.p12</entry>
                <entry key="clientPassword" class="class java.lang.String">{TestPki.ClientPassword}</entry>
              </preference>
            </preferences>
            """;
        using var ca = X509CertificateLoader.LoadCertificate(Pki.Ca.RawData);
        var truststore = new X509Certificate2Collection(ca).ExportPkcs12(Pkcs12ExportPbeParameters.Pkcs12TripleDesSha1, "atakatak");

        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in new[]
                     {
                         ("certs/server.pref", Encoding.ASCII.GetBytes(pref)),
                         ("certs/truststore-root.p12", truststore),
                         ("certs/client.p12", File.ReadAllBytes(Pki.ClientP12)),
                     })
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }

        return zip.ToArray();
    }
}
