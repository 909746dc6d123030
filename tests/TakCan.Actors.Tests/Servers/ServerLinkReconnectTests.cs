using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Servers;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Tests.Servers;

/// <summary>Restarts, keepalive, silence and several servers at once.</summary>
public sealed class ServerLinkReconnectTests : ServerLinkTestKit
{
    [Fact]
    public async Task Reconnects_after_the_server_restarts_without_delivering_its_replay_twice()
    {
        // TAK Server sends every new client the latest SA of everyone; after a restart that is what the device had.
        var server = Server(new FakeTakServerOptions { ReplayLatest = true, OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        await server.NextSessionAsync();
        var bravo = Sa("ANDROID-bravo", "BRAVO");
        await server.PublishAsync(bravo);
        Assert.Equal(bravo.Uid, (await ExpectCotAsync(device)).Uid);

        server.Restart();
        await server.NextSessionAsync();
        var again = await AwaitStatusAsync(link, s => s.Counters.Connections == 2 && s.State == ServerLinkState.Streaming && s.Counters.Duplicates >= 1);
        await device.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));

        // Events flow again both ways; something new about the same contact does reach the device.
        await server.PublishAsync(bravo with { Time = bravo.Time.AddSeconds(5), Start = bravo.Start.AddSeconds(5) });
        var newer = await ExpectCotAsync(device);
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        var (_, sent) = await server.NextEventAsync();

        Assert.Equal(bravo.Time.AddSeconds(5), newer.Time);
        Assert.Equal("SELF", sent.Detail.Contact!.Callsign);
        Assert.True(again.Counters.Reconnects >= 1);
        Assert.NotNull(again.LastError);
        Assert.Equal(2, (await StatusAsync(link)).Counters.EventsIn);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Pings_keep_a_quiet_link_up()
    {
        var server = Server();
        var settings = Settings(server) with { PingInterval = TimeSpan.FromMilliseconds(100), ReadTimeout = TimeSpan.FromMilliseconds(350) };
        var link = Link(settings, CreateTestProbe());
        await server.NextSessionAsync();

        // Ten pings take about three read timeouts: only the pongs keep the link from giving up.
        await AwaitStatusAsync(link, _ => server.Pings >= 10);
        var status = await StatusAsync(link);

        Assert.Contains(status.State, new[] { ServerLinkState.Connected, ServerLinkState.Streaming });
        Assert.Equal(1, status.Counters.Connections);
        Assert.Equal(0, status.Counters.Reconnects);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Gives_up_on_a_server_that_says_nothing_and_connects_again()
    {
        var server = Server(new FakeTakServerOptions { AnswerPings = false });
        var settings = Settings(server) with { PingInterval = TimeSpan.FromMilliseconds(100), ReadTimeout = TimeSpan.FromMilliseconds(300) };
        var link = Link(settings, CreateTestProbe());
        await server.NextSessionAsync();

        var status = await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 1);
        await server.NextSessionAsync();

        // Never heard from: the server never showed it accepted the link, so it never counted as connected.
        Assert.Contains("no data from the server", status.LastError);
        Assert.Equal(0, status.Counters.Connections);
        Assert.True(server.Pings >= 2);
    }

    [Fact]
    public async Task Runs_two_links_to_two_servers_side_by_side()
    {
        var alphaServer = Server();
        var bravoServer = Server(new FakeTakServerOptions { OfferTakProtocol = true });
        var device = CreateTestProbe();
        var alpha = Link(Settings(alphaServer, "alpha"), device);
        var bravo = Link(Settings(bravoServer, "bravo"), device);
        await alphaServer.NextSessionAsync();
        await bravoServer.NextSessionAsync();
        await AwaitConnectedAsync(alpha);
        await AwaitStreamingAsync(bravo, ServerFraming.TakProtocol);

        await alphaServer.PublishAsync(Sa("ANDROID-from-alpha", "FROM-ALPHA"));
        await bravoServer.PublishAsync(Sa("ANDROID-from-bravo", "FROM-BRAVO"));
        var received = new[]
        {
            await device.ExpectMsgAsync<DeviceProtocol.CotReceived>(Patience),
            await device.ExpectMsgAsync<DeviceProtocol.CotReceived>(Patience),
        }.ToDictionary(r => r.Event.Uid, r => r.Source.Name);

        alpha.Tell(new SendToServer(Sa("ANDROID-self", "TO-ALPHA")));
        bravo.Tell(new SendToServer(Sa("ANDROID-self", "TO-BRAVO")));

        Assert.Equal("server:alpha", received["ANDROID-from-alpha"]);
        Assert.Equal("server:bravo", received["ANDROID-from-bravo"]);
        Assert.Equal("TO-ALPHA", (await alphaServer.NextEventAsync()).Event.Detail.Contact!.Callsign);
        Assert.Equal("TO-BRAVO", (await bravoServer.NextEventAsync()).Event.Detail.Contact!.Callsign);
        await Assert.ThrowsAsync<TimeoutException>(() => alphaServer.NextEventAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Closes_the_connection_when_stopped()
    {
        var server = Server();
        var link = Link(Settings(server), CreateTestProbe());
        var session = await server.NextSessionAsync();
        await AwaitConnectedAsync(link);

        Watch(link);
        link.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(link);

        await AwaitServerAsync(() => session.IsClosed && server.Sessions.Count == 0);
    }

    private static async Task AwaitServerAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the server never saw it");
            await Task.Delay(20);
        }
    }
}
