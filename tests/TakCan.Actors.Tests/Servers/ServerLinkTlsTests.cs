using Akka.Actor;
using System.Security.Authentication;
using Akka.TestKit;
using TakCan.Actors.Servers;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Tests.Servers;

/// <summary>Mutual TLS as TAK Server requires it on 8089: both sides prove themselves against one CA, or nothing flows.</summary>
public sealed class ServerLinkTlsTests : ServerLinkTestKit
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static ServerTlsSettings Tls(ClientCertificateSource? client) => new() { CaFile = Pki.CaFile, ClientCertificate = client };

    private static ClientCertificateSource Pkcs12 => new ClientCertificateSource.Pkcs12File(Pki.ClientP12, TestPki.ClientPassword);

    private FakeTakServer TlsServer(FakeTakTls tls, bool offer = false) =>
        Server(new FakeTakServerOptions { Tls = tls, OfferTakProtocol = offer });

    [Fact]
    public async Task Streams_over_mutual_tls_12_with_a_pkcs12_client_certificate()
    {
        var server = TlsServer(new FakeTakTls(Pki.Server, Pki.Ca));
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Tls = Tls(Pkcs12) }, device);

        var session = await server.NextSessionAsync();
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        Assert.Equal("SELF", (await server.NextEventAsync()).Event.Detail.Contact!.Callsign);
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);

        Assert.Equal(Pki.Client.Thumbprint, session.ClientCertificate?.Thumbprint);
        var status = await AwaitConnectedAsync(link);
        Assert.StartsWith("Tls12 ", status.Security);
        Assert.Equal("ssl://127.0.0.1:" + server.Port, status.Endpoint);
    }

    [Fact]
    public async Task Streams_tak_protocol_over_tls_13_with_a_pem_client_certificate()
    {
        var server = TlsServer(new FakeTakTls(Pki.Server, Pki.Ca, SslProtocols.Tls13), offer: true);
        var device = CreateTestProbe();
        var pem = new ClientCertificateSource.PemFiles(Pki.ClientCertificatePem, Pki.ClientKeyPem);
        var link = Link(Settings(server) with { Tls = Tls(pem) }, device);

        var session = await server.NextSessionAsync();
        var status = await AwaitStreamingAsync(link, ServerFraming.TakProtocol);
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        Assert.Equal("SELF", (await server.NextEventAsync()).Event.Detail.Contact!.Callsign);
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);

        Assert.StartsWith("Tls13 ", status.Security);
        Assert.True(session.TakProtocol);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Is_refused_without_a_client_certificate()
    {
        var server = TlsServer(new FakeTakTls(Pki.Server, Pki.Ca));
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Tls = Tls(client: null) }, device);

        await ExpectRefusedByServerAsync(link, server, device);
    }

    [Fact]
    public async Task Is_refused_with_a_client_certificate_from_another_ca()
    {
        var server = TlsServer(new FakeTakTls(Pki.Server, Pki.Ca));
        var device = CreateTestProbe();
        var rogue = new ClientCertificateSource.Pkcs12File(Pki.RogueClientP12, TestPki.ClientPassword);
        var link = Link(Settings(server) with { Tls = Tls(rogue) }, device);

        await ExpectRefusedByServerAsync(link, server, device);
    }

    [Fact]
    public async Task Refuses_a_server_certificate_from_another_ca()
    {
        var server = TlsServer(new FakeTakTls(Pki.RogueServer, Pki.Ca));
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Tls = Tls(Pkcs12) }, device);

        var status = await ExpectRefusedAsync(link, server, device);
        Assert.Contains("does not chain to the configured CA", status.LastError);
    }

    [Fact]
    public async Task Refuses_a_server_certificate_for_another_host()
    {
        var server = TlsServer(new FakeTakTls(Pki.WrongHostServer, Pki.Ca));
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Tls = Tls(Pkcs12) }, device);

        var status = await ExpectRefusedAsync(link, server, device);
        Assert.Contains("is not issued for '127.0.0.1'", status.LastError);
    }

    [Fact]
    public async Task Reports_an_unreadable_certificate_file_and_keeps_trying()
    {
        var server = TlsServer(new FakeTakTls(Pki.Server, Pki.Ca));
        var wrongPassword = new ClientCertificateSource.Pkcs12File(Pki.ClientP12, "not-the-password");
        var link = Link(Settings(server) with { Tls = Tls(wrongPassword) }, CreateTestProbe());

        var status = await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 2);

        Assert.Contains(Pki.ClientP12, status.LastError);
        Assert.Equal(0, status.Counters.Connections);
        Assert.DoesNotContain("not-the-password", (Settings(server) with { Tls = Tls(wrongPassword) }).ToString(), StringComparison.Ordinal);
    }

    // Never connected (the server never spoke to it), backing off and trying again, nothing delivered either way.
    private static async Task<ServerStatus> ExpectRefusedAsync(IActorRef link, FakeTakServer server, TestProbe device)
    {
        var status = await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 2 && s.LastError is not null);

        Assert.Equal(0, status.Counters.Connections);
        Assert.Contains(status.State, new[] { ServerLinkState.Backoff, ServerLinkState.Connecting });
        Assert.Equal(0, server.Pings);
        await Assert.ThrowsAsync<TimeoutException>(() => server.NextEventAsync(TimeSpan.FromMilliseconds(10)));
        await device.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
        return status;
    }

    // .NET checks a client certificate after the handshake (TAK Server's Java stack during it): either way the
    // server never lets the device in.
    private static async Task ExpectRefusedByServerAsync(IActorRef link, FakeTakServer server, TestProbe device)
    {
        var status = await ExpectRefusedAsync(link, server, device);

        Assert.Equal(0, server.Welcomed);
        Assert.True(server.HandshakeFailures >= 2);
        Assert.Contains("certificate", status.LastError);
    }
}
