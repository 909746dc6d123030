using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Device;
using TakCan.Actors.Servers;
using TakCan.Actors.Tests.Device;
using TakCan.Protocols.Cot;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Tests.Servers;

/// <summary>A TestKit with server links, fake TAK servers and a probe standing in for the device.</summary>
public abstract class ServerLinkTestKit : TestKit
{
    protected const string DeviceUid = "ANDROID-takcan-test";

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly List<FakeTakServer> _servers = new();

    protected ServerLinkTestKit()
        : base("akka.loglevel = WARNING")
    {
    }

    protected static DateTime UtcNow => new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);

    protected FakeTakServer Server(FakeTakServerOptions? options = null)
    {
        var server = FakeTakServer.Start(options);
        _servers.Add(server);
        return server;
    }

    /// <summary>Quick timings: reconnects within a quarter second, pings every second (the first one at connect), offers within a second.</summary>
    protected static ServerLinkSettings Settings(FakeTakServer server, string name = "alpha") => new()
    {
        Name = name,
        Host = "127.0.0.1",
        Port = server.Port,
        DeviceUid = DeviceUid,
        MinBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(250),
        PingInterval = TimeSpan.FromSeconds(1),
        OfferTimeout = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(3),
    };

    protected IActorRef Link(ServerLinkSettings settings, TestProbe device) =>
        Sys.ActorOf(ServerLinkActor.Props(settings, device), "server-" + settings.Name);

    protected static async Task<ServerStatus> StatusAsync(IActorRef link) =>
        await link.Ask<ServerStatus>(GetServerStatus.Instance, Patience);

    /// <summary>Polls the link's status until <paramref name="until"/> holds.</summary>
    protected static async Task<ServerStatus> AwaitStatusAsync(IActorRef link, Func<ServerStatus, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Patience);
        while (true)
        {
            var status = await StatusAsync(link);
            if (until(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"status never matched; last: {status}");
            await Task.Delay(20);
        }
    }

    /// <summary>Until the server has accepted the link and events flow in XML (an offer may still come).</summary>
    protected static Task<ServerStatus> AwaitConnectedAsync(IActorRef link) =>
        AwaitStatusAsync(link, s => s.State is ServerLinkState.Connected or ServerLinkState.Streaming && s.Framing == ServerFraming.Xml);

    protected static Task<ServerStatus> AwaitStreamingAsync(IActorRef link, ServerFraming framing = ServerFraming.Xml) =>
        AwaitStatusAsync(link, s => s.State == ServerLinkState.Streaming && s.Framing == framing);

    /// <summary>The next event the device got; it must come from <paramref name="source"/>.</summary>
    protected static async Task<CotEvent> ExpectCotAsync(TestProbe device, string source = "server:alpha")
    {
        var received = await device.ExpectMsgAsync<DeviceProtocol.CotReceived>(Patience);
        Assert.Equal(new CotSource(CotSourceKind.Server, source), received.Source);
        return received.Event;
    }

    protected static CotEvent Sa(string uid, string callsign, DateTime? time = null) => SampleCot.Sa(uid, callsign, time ?? UtcNow);

    protected override void AfterAll()
    {
        foreach (var server in _servers) server.Stop();
        base.AfterAll();
    }
}
