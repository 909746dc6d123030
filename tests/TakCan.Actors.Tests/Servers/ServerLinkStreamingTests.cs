using Akka.Actor;
using System.Text;
using TakCan.Actors.Servers;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Tests.Servers;

/// <summary>XML streaming, the upgrade to TAK protocol, authentication and hostile server input, on plain TCP.</summary>
public sealed class ServerLinkStreamingTests : ServerLinkTestKit
{
    [Fact]
    public async Task Streams_xml_both_ways_with_a_declaration_before_each_event_and_nothing_after_it()
    {
        var server = Server();
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();

        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        link.Tell(new SendToServer(Sa("ANDROID-self-2", "SELF2")));
        Assert.Equal("SELF", (await server.NextEventAsync()).Event.Detail.Contact!.Callsign);
        Assert.Equal("SELF2", (await server.NextEventAsync()).Event.Detail.Contact!.Callsign);
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));

        var received = await ExpectCotAsync(device);
        Assert.Equal("BRAVO", received.Detail.Contact!.Callsign);
        var status = await AwaitConnectedAsync(link);
        Assert.Equal((1, 2, 0, 1), (status.Counters.EventsIn, status.Counters.EventsOut, status.Counters.BadEvents, status.Counters.Connections));
        Assert.Equal("tcp://127.0.0.1:" + server.Port, status.Endpoint);
        Assert.Null(status.Security);

        // takproto README, "Traditional Protocol": each event after its declaration and a newline; the next
        // declaration follows </event> immediately.
        var wire = Encoding.UTF8.GetString(session.Wire);
        var declaration = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<event ";
        Assert.StartsWith(declaration, wire, StringComparison.Ordinal);
        var events = wire.Split("</event>").Length - 1;
        Assert.True(events >= 3, wire); // the first ping, two events (and maybe later pings)
        Assert.Equal(events, wire.Split(declaration).Length - 1);
        Assert.DoesNotContain("</event>\n", wire, StringComparison.Ordinal);
        Assert.EndsWith("</event>", wire, StringComparison.Ordinal);
        Assert.Empty(server.Violations);
        await device.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Upgrades_to_tak_protocol_when_the_server_offers_it_and_events_flow_both_ways_in_frames()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();

        await AwaitStreamingAsync(link, ServerFraming.TakProtocol);
        Assert.True(session.TakProtocol);
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        var (from, sent) = await server.NextEventAsync();
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        var received = await ExpectCotAsync(device);

        Assert.Same(session, from);
        Assert.Equal("SELF", sent.Detail.Contact!.Callsign);
        Assert.Equal("BRAVO", received.Detail.Contact!.Callsign);
        // The server reads everything after the switch with a TAK protocol stream decoder, which fails on anything
        // but 0xBF frames; the bytes after the request are frames only.
        Assert.True(session.FramesReceived >= 1);
        var wire = session.Wire;
        var afterRequest = wire.AsSpan().IndexOf("t-x-takp-q"u8);
        var firstFrame = afterRequest + wire.AsSpan(afterRequest).IndexOf("</event>"u8) + "</event>".Length;
        Assert.Equal(TakProtocolFraming.Magic, wire[firstFrame]);
        Assert.Empty(server.Violations);
        Assert.Equal(1, (await StatusAsync(link)).Counters.EventsIn);
    }

    [Fact]
    public async Task Holds_events_while_negotiating_and_sends_them_as_frames_after_the_answer()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true, ResponseDelay = TimeSpan.FromMilliseconds(400) });
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();

        await AwaitStatusAsync(link, s => s.State == ServerLinkState.Negotiating);
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        // The server may keep talking XML until it answers; the link keeps reading it.
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);

        var (_, sent) = await server.NextEventAsync();
        Assert.Equal("SELF", sent.Detail.Contact!.Callsign);
        Assert.True(session.TakProtocol);
        Assert.True(session.FramesReceived >= 1);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Stays_on_xml_when_the_server_declines_tak_protocol()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true, AcceptTakProtocol = false });
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();

        await AwaitStatusAsync(link, _ => session.Requested);
        await AwaitStreamingAsync(link);
        link.Tell(new SendToServer(Sa("ANDROID-self", "SELF")));
        Assert.Equal("SELF", (await server.NextEventAsync()).Event.Detail.Contact!.Callsign);
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);

        Assert.False(session.TakProtocol);
        Assert.Equal(0, session.FramesReceived);
        Assert.Equal(ServerFraming.Xml, (await StatusAsync(link)).Framing);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Settles_on_xml_when_no_offer_comes_and_ignores_a_late_one()
    {
        var server = Server();
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { OfferTimeout = TimeSpan.FromMilliseconds(200) }, device);
        var session = await server.NextSessionAsync();

        var connected = await AwaitStatusAsync(link, s => s.Counters.Connections == 1);
        await AwaitStreamingAsync(link);
        await session.SendAsync(TakProtocolNegotiation.Offer("late", DateTime.UtcNow, 1));
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        await ExpectCotAsync(device);

        Assert.Equal(ServerLinkState.Connected, connected.State);
        Assert.False(session.Requested);
        Assert.Equal(ServerFraming.Xml, (await StatusAsync(link)).Framing);
    }

    [Fact]
    public async Task Stays_on_xml_when_configured_to_even_if_offered()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { RequestTakProtocol = false }, device);
        var session = await server.NextSessionAsync();

        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        await ExpectCotAsync(device);

        Assert.False(session.Requested);
        Assert.Equal(ServerFraming.Xml, (await AwaitStreamingAsync(link)).Framing);
    }

    [Fact]
    public async Task Reconnects_when_the_server_never_answers_the_request()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true, AnswerRequests = false });
        var link = Link(Settings(server) with { NegotiationTimeout = TimeSpan.FromMilliseconds(300) }, CreateTestProbe());
        await server.NextSessionAsync();

        var status = await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 1);
        await server.NextSessionAsync();

        Assert.Contains("no answer to the TAK protocol request", status.LastError);
    }

    [Fact]
    public async Task Sends_the_auth_message_first_when_credentials_are_set()
    {
        var credentials = new ServerCredentials("scott", "tiger & <lion>");
        var server = Server(new FakeTakServerOptions { Credentials = credentials, OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Credentials = credentials }, device);

        var session = await server.NextSessionAsync();
        await AwaitStreamingAsync(link, ServerFraming.TakProtocol);
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        await ExpectCotAsync(device);

        Assert.Equal(("scott", DeviceUid), session.Authenticated);
        Assert.StartsWith("<?xml version=\"1.0\"?>\n<auth><cot username=\"scott\" password=\"tiger &amp; &lt;lion&gt;\"", Encoding.UTF8.GetString(session.Wire), StringComparison.Ordinal);
        Assert.DoesNotContain("tiger", (Settings(server) with { Credentials = credentials }).ToString(), StringComparison.Ordinal);
        Assert.Empty(server.Violations);
    }

    [Fact]
    public async Task Backs_off_when_the_server_refuses_the_password()
    {
        var server = Server(new FakeTakServerOptions { Credentials = new ServerCredentials("scott", "tiger") });
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { Credentials = new ServerCredentials("scott", "lion") }, device);

        await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 2 && s.LastError is not null);

        Assert.True(server.AuthFailures >= 2);
        Assert.Equal(0, server.Welcomed);
        await device.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Skips_and_counts_unreadable_events_without_dropping_the_connection()
    {
        var server = Server();
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();
        await AwaitConnectedAsync(link);

        await session.SendRawAsync(Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?><event version='2.0' uid='broken' type='a-f-G' time='x'><point lat='abc'/></event>" +
            "<event><<<</event>garbage</event>"));
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));

        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);
        var status = await StatusAsync(link);
        Assert.Equal(3, status.Counters.BadEvents);
        Assert.Equal(1, status.Counters.Connections);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Skips_an_unreadable_tak_message_but_reconnects_on_broken_framing()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server), device);
        var session = await server.NextSessionAsync();
        await AwaitStreamingAsync(link, ServerFraming.TakProtocol);

        // A well-framed message whose body is not a TakMessage, then a good event: skipped, then delivered.
        await session.SendRawAsync(TakProtocolFraming.EncodeStream([0xFF, 0xFF, 0xFF]));
        await server.PublishAsync(Sa("ANDROID-bravo", "BRAVO"));
        Assert.Equal("BRAVO", (await ExpectCotAsync(device)).Detail.Contact!.Callsign);
        Assert.Equal(1, (await StatusAsync(link)).Counters.BadEvents);

        // XML where frames belong: no way to find the next frame, so the link starts over.
        await session.SendRawAsync(FakeTakSession.Encode(Sa("ANDROID-charlie", "CHARLIE"), takProtocol: false));
        var status = await AwaitStatusAsync(link, s => s.Counters.Reconnects >= 1);
        Assert.Contains("broken TAK protocol framing", status.LastError);
        await server.NextSessionAsync();
        await AwaitStreamingAsync(link, ServerFraming.TakProtocol);
    }

    [Fact]
    public async Task Queues_a_bounded_number_of_events_while_the_server_is_down_and_sends_them_in_order()
    {
        var server = Server();
        server.Stop();
        var link = Link(Settings(server) with { MaxQueuedEvents = 3 }, CreateTestProbe());

        foreach (var n in Enumerable.Range(1, 5)) link.Tell(new SendToServer(Sa("ANDROID-self", "SELF" + n)));
        var down = await AwaitStatusAsync(link, s => s.Counters.Dropped == 2 && s.LastError is not null);
        server.Listen(server.Port);

        var callsigns = new List<string>();
        for (var i = 0; i < 3; i++) callsigns.Add((await server.NextEventAsync()).Event.Detail.Contact!.Callsign!);
        Assert.Equal(["SELF3", "SELF4", "SELF5"], callsigns);
        Assert.Contains("127.0.0.1", down.LastError);
        Assert.Equal(3, (await StatusAsync(link)).Counters.EventsOut);
    }

    [Fact]
    public async Task Pings_and_negotiation_never_reach_the_device()
    {
        var server = Server(new FakeTakServerOptions { OfferTakProtocol = true });
        var device = CreateTestProbe();
        var link = Link(Settings(server) with { PingInterval = TimeSpan.FromMilliseconds(100) }, device);
        var session = await server.NextSessionAsync();

        await AwaitStreamingAsync(link, ServerFraming.TakProtocol);
        await AwaitStatusAsync(link, _ => server.Pings >= 3);
        // A server may ping us too: answered, not delivered.
        await session.SendAsync(ServerPingBuilder.Ping("takserver", DateTime.UtcNow));
        await session.SendAsync(TakProtocolNegotiation.Offer("late", DateTime.UtcNow, 1));

        await device.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, (await StatusAsync(link)).Counters.EventsIn);
    }
}
