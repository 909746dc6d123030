using Akka.Actor;
using Akka.TestKit;
using TakCan.Actors.Device;
using TakCan.Actors.Situation.Emergency;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Emergency.EmergencyProtocol;

namespace TakCan.Actors.Tests.Situation.Emergency;

public class EmergencyActorTests : SituationTestKit
{
    private const string Me = "ANDROID-8f3b2c1d9e0a4b67";
    private const string Hammer = "S-1-5-21-2720623347-3037847324-4167270909-1002";
    private const string Sparrow = "ANDROID-0000000000005a44";
    private static readonly DeviceIdentity Self = new(Me, "VIKING", "Cyan", "Team Member");
    private static readonly CotPoint Here = new(38.889484, -77.035278, 12.345);
    private static readonly CotSource FromMesh = new(CotSourceKind.Mesh, "mesh", 1, "3f2a");

    // As ATAK sends it (tests/TakCan.Protocols.Tests/Samples/alert-911.xml, another device).
    private const string AtakAlert = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <event version="2.0" uid="ANDROID-other-9-1-1" type="b-a-o-tbl" time="2024-05-01T12:02:00.331Z" start="2024-05-01T12:02:00.331Z" stale="2024-05-01T12:02:10.331Z" how="h-e">
          <point lat="38.889484" lon="-77.035278" hae="12.345" ce="9999999.0" le="9999999.0"/>
          <detail>
            <link uid="ANDROID-other" type="a-f-G-U-C" relation="p-p"/>
            <contact callsign="VIKING-Alert"/>
            <emergency type="911 Alert">VIKING</emergency>
          </detail>
        </event>
        """;

    private readonly TestProbe _outbound;

    public EmergencyActorTests() => _outbound = CreateTestProbe("outbound");

    private IActorRef StartEmergency(string id = "emergency") => Sys.ActorOf(EmergencyActor.Props(id, Self, _outbound.Ref));

    private CotEvent RaiseAndExpect(IActorRef emergency, EmergencyType type, out string key)
    {
        emergency.Tell(new RaiseEmergency(type));
        key = ExpectMsg<EmergencyAccepted>(Soon).Key;
        var send = _outbound.ExpectMsg<SendCot>(Soon);
        Assert.True(send.Reliable);
        Assert.Equal(key, AckKey(send.Event));
        return send.Event;
    }

    private CotEvent CancelAndExpect(IActorRef emergency, out string key)
    {
        emergency.Tell(CancelEmergency.Instance);
        key = ExpectMsg<EmergencyAccepted>(Soon).Key;
        var send = _outbound.ExpectMsg<SendCot>(Soon);
        Assert.True(send.Reliable);
        Assert.Equal(key, AckKey(send.Event));
        return send.Event;
    }

    private EmergencyState StateOf(IActorRef emergency)
    {
        emergency.Tell(GetEmergencyState.Instance);
        return ExpectMsg<EmergencyState>(Soon);
    }

    private void ExpectResend(CotEvent expected, TimeSpan after, TestProbe? outbound = null, TestScheduler? clock = null)
    {
        outbound ??= _outbound;
        clock ??= Clock;
        clock.Advance(after - TimeSpan.FromSeconds(1));
        outbound.ExpectNoMsg(Quiet);
        clock.Advance(TimeSpan.FromSeconds(1));
        var send = outbound.ExpectMsg<SendCot>(Soon);
        Assert.Equal(expected, send.Event);
        Assert.True(send.Reliable);
    }

    [Fact]
    public void A_raise_is_persisted_accepted_and_sent_reliably_as_atak_sends_it()
    {
        var emergency = StartEmergency();
        emergency.Tell(new DeviceProtocol.SelfPositionChanged(Here));

        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out var key);

        Assert.Equal(("b-a-o-tbl", Me + "-9-1-1", Here), (evt.Type, evt.Uid, evt.Point));
        var link = Assert.Single(evt.Detail.Links);
        Assert.Equal((Me, "a-f-G-U-C", "p-p"), (link.Uid, link.Type, link.Relation));
        Assert.Equal("VIKING-Alert", evt.Detail.Contact?.Callsign);
        Assert.Equal(("911 Alert", "VIKING", (bool?)null), (evt.Detail.Emergency?.Type, evt.Detail.Emergency?.Callsign, evt.Detail.Emergency?.Cancel));
        var state = StateOf(emergency);
        Assert.Equal(EmergencyType.Alert911, state.Active);
        var entry = Assert.Single(state.Outbox);
        Assert.Equal((key, "b-a-o-tbl", evt.Time, 1), (entry.Key, entry.CotType, entry.Time, entry.Sends));
        Assert.Empty(entry.AcknowledgedBy);
        Assert.Empty(state.Incoming);

        Watch(emergency);
        Sys.Stop(emergency);
        ExpectTerminated(emergency, Soon);
        Assert.Equal(key, Assert.Single(StateOf(StartEmergency()).Outbox).Key);
    }

    [Theory]
    [InlineData(EmergencyType.RingTheBell, "b-a-o-pan", "Ring The Bell")]
    [InlineData(EmergencyType.InContact, "b-a-o-opn", "In Contact")]
    public void Each_type_goes_out_as_its_atak_type(EmergencyType type, string cotType, string text)
    {
        var evt = RaiseAndExpect(StartEmergency(), type, out _);

        Assert.Equal(cotType, evt.Type);
        Assert.Equal(text, evt.Detail.Emergency?.Type);
    }

    [Fact]
    public void A_raise_is_resent_with_backoff_until_acknowledged_then_every_minute_while_active()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out var key);

        ExpectResend(evt, TimeSpan.FromSeconds(2));
        ExpectResend(evt, TimeSpan.FromSeconds(4));
        ExpectResend(evt, TimeSpan.FromSeconds(8));
        emergency.Tell(new AckReceived(key, Hammer, "HAMMER"));
        Assert.Equal(new[] { Hammer }, Assert.Single(StateOf(emergency).Outbox).AcknowledgedBy);

        // Acknowledged: no more backoff (the 16 s resend does not come), but the alert repeats every 60 s.
        ExpectResend(evt, TimeSpan.FromSeconds(60));
        ExpectResend(evt, TimeSpan.FromSeconds(60));
        Assert.Equal(6, Assert.Single(StateOf(emergency).Outbox).Sends);
    }

    [Fact]
    public void Backoff_doubles_up_to_a_minute()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.InContact, out _);

        foreach (var seconds in new[] { 2, 4, 8, 16, 32, 60, 60 }) ExpectResend(evt, TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Cancel_with_nothing_active_says_so()
    {
        var emergency = StartEmergency();
        emergency.Tell(CancelEmergency.Instance);

        ExpectMsg<NoActiveEmergency>(Soon);
        _outbound.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Cancel_stops_the_repeats_and_is_itself_resent_until_acknowledged()
    {
        var emergency = StartEmergency();
        var raise = RaiseAndExpect(emergency, EmergencyType.Alert911, out var raiseKey);
        emergency.Tell(new AckReceived(raiseKey, Hammer, "HAMMER"));
        StateOf(emergency);
        Clock.Advance(TimeSpan.FromSeconds(5));

        var cancel = CancelAndExpect(emergency, out var cancelKey);

        Assert.Equal(("b-a-o-can", raise.Uid), (cancel.Type, cancel.Uid));
        Assert.True(cancel.Detail.Emergency?.Cancel);
        Assert.NotEqual(raiseKey, cancelKey);
        var state = StateOf(emergency);
        Assert.Null(state.Active);
        Assert.Equal(new[] { raiseKey, cancelKey }, state.Outbox.Select(e => e.Key));

        ExpectResend(cancel, TimeSpan.FromSeconds(2));
        emergency.Tell(new AckReceived(cancelKey, Sparrow, "SPARROW"));
        Assert.Equal(new[] { Sparrow }, StateOf(emergency).Outbox[1].AcknowledgedBy);
        Clock.Advance(TimeSpan.FromMinutes(5));
        _outbound.ExpectNoMsg(Quiet);
        emergency.Tell(CancelEmergency.Instance);
        ExpectMsg<NoActiveEmergency>(Soon);
    }

    [Fact]
    public void A_new_raise_supersedes_the_old_one_and_an_unacknowledged_cancel()
    {
        var emergency = StartEmergency();
        var first = RaiseAndExpect(emergency, EmergencyType.Alert911, out _);
        ExpectResend(first, TimeSpan.FromSeconds(2));
        Clock.Advance(TimeSpan.FromSeconds(3));
        _outbound.ExpectNoMsg(Quiet);
        var cancel = CancelAndExpect(emergency, out _);
        ExpectResend(cancel, TimeSpan.FromSeconds(2));
        Clock.Advance(TimeSpan.FromSeconds(3));
        _outbound.ExpectNoMsg(Quiet);

        var second = RaiseAndExpect(emergency, EmergencyType.InContact, out _);

        Assert.Equal(EmergencyType.InContact, StateOf(emergency).Active);
        // Only the new raise goes on (the cancel's next resend was due in 1 s): sent now, it would cancel the new alert.
        ExpectResend(second, TimeSpan.FromSeconds(2));
        ExpectResend(second, TimeSpan.FromSeconds(4));
        Assert.Equal(new[] { 2, 2, 3 }, StateOf(emergency).Outbox.Select(e => e.Sends));
    }

    [Fact]
    public void Raises_and_cancels_are_rate_limited_per_device()
    {
        var ignored = CreateTestProbe();
        var emergency = Sys.ActorOf(EmergencyActor.Props("emergency-limited", Self, ignored.Ref));

        emergency.Tell(new RaiseEmergency(EmergencyType.Alert911));
        ExpectMsg<EmergencyAccepted>(Soon);
        emergency.Tell(new RaiseEmergency(EmergencyType.RingTheBell));
        Assert.Equal(TimeSpan.FromSeconds(5), ExpectMsg<EmergencyRateLimited>(Soon).RetryAfter);
        Clock.Advance(TimeSpan.FromSeconds(1));
        emergency.Tell(CancelEmergency.Instance);
        Assert.Equal(TimeSpan.FromSeconds(4), ExpectMsg<EmergencyRateLimited>(Soon).RetryAfter);
        Assert.Equal(EmergencyType.Alert911, StateOf(emergency).Active);

        // Nine more, 5 s apart, are allowed; the eleventh within ten minutes is not.
        for (var i = 1; i < 10; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(i == 1 ? 4 : 5));
            emergency.Tell(i % 2 == 1 ? CancelEmergency.Instance : new RaiseEmergency(EmergencyType.Alert911));
            ExpectMsg<EmergencyAccepted>(Soon);
        }

        Clock.Advance(TimeSpan.FromSeconds(5));
        emergency.Tell(new RaiseEmergency(EmergencyType.Alert911));
        Assert.Equal(TimeSpan.FromSeconds(550), ExpectMsg<EmergencyRateLimited>(Soon).RetryAfter);
        Clock.Advance(TimeSpan.FromSeconds(550));
        emergency.Tell(new RaiseEmergency(EmergencyType.Alert911));
        ExpectMsg<EmergencyAccepted>(Soon);
    }

    [Fact]
    public void Own_repeated_and_unknown_acks_change_nothing()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out var key);

        emergency.Tell(new AckReceived(key, Me, "VIKING"));
        emergency.Tell(new AckReceived("someone-9-1-1|1", Hammer, "HAMMER"));
        emergency.Tell(new AckReceived(key, Hammer, "HAMMER"));
        emergency.Tell(new AckReceived(key, Hammer, "HAMMER"));
        emergency.Tell(new AckReceived(key, Sparrow, "SPARROW"));

        Assert.Equal(new[] { Hammer, Sparrow }, Assert.Single(StateOf(emergency).Outbox).AcknowledgedBy);
        ExpectResend(evt, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Emergencies_of_others_are_tracked_until_cancelled()
    {
        var emergency = StartEmergency();
        var at = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var raise = EmergencyBuilder.Raise(Hammer, "HAMMER", EmergencyBuilder.InContact, at, new CotPoint(1.5, 2.5));
        var atak = CotXmlReader.Read(AtakAlert);

        emergency.Tell(new CotReceived(raise, FromMesh));
        emergency.Tell(new CotReceived(raise, FromMesh));
        emergency.Tell(new CotReceived(atak, FromMesh));

        var incoming = StateOf(emergency).Incoming;
        Assert.Equal(2, incoming.Count);
        Assert.Contains(new IncomingEmergency(Hammer + "-9-1-1", "HAMMER", "b-a-o-opn", "In Contact", 1.5, 2.5, at), incoming);
        Assert.Contains(incoming, i => i is { Uid: "ANDROID-other-9-1-1", Callsign: "VIKING", CotType: "b-a-o-tbl", EmergencyText: "911 Alert" });

        var cancel = EmergencyBuilder.Cancel(Hammer, "HAMMER", at.AddMinutes(1), new CotPoint(1.5, 2.5));
        emergency.Tell(new CotReceived(cancel, FromMesh));
        // A copy of the raise resent before the cancel, arriving after it, does not bring it back …
        emergency.Tell(new CotReceived(raise, FromMesh));
        Assert.Equal(new[] { "ANDROID-other-9-1-1" }, StateOf(emergency).Incoming.Select(i => i.Uid));

        // … a new raise does.
        emergency.Tell(new CotReceived(EmergencyBuilder.Raise(Hammer, "HAMMER", EmergencyBuilder.Alert911, at.AddMinutes(2), new CotPoint(1, 2)), FromMesh));
        Assert.Contains(StateOf(emergency).Incoming, i => i is { Callsign: "HAMMER", CotType: "b-a-o-tbl" });
        _outbound.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Own_emergencies_coming_back_are_not_someone_elses()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out _);

        emergency.Tell(new CotReceived(evt, CotSource.Self));
        emergency.Tell(new CotReceived(evt, FromMesh));

        Assert.Empty(StateOf(emergency).Incoming);
    }

    [Fact]
    public void After_a_restart_on_the_same_database_an_unacknowledged_raise_is_resent_unchanged()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out var key);
        ExpectResend(evt, TimeSpan.FromSeconds(2));
        Watch(emergency);
        Sys.Stop(emergency);
        ExpectTerminated(emergency, Soon);

        var restarted = NewSystemOnSameDatabase();
        var outbound = ProbeIn(restarted);
        var asker = ProbeIn(restarted);
        var again = restarted.ActorOf(EmergencyActor.Props("emergency", Self, outbound.Ref));

        var resent = outbound.ExpectMsg<SendCot>(Soon);
        Assert.Equal(evt, resent.Event);
        Assert.True(resent.Reliable);
        again.Tell(GetEmergencyState.Instance, asker.Ref);
        var state = asker.ExpectMsg<EmergencyState>(Soon);
        Assert.Equal(EmergencyType.Alert911, state.Active);
        Assert.Equal((key, 3), (state.Outbox.Single().Key, state.Outbox.Single().Sends));

        // The backoff starts again, and so does the rate limit: the raise just before the restart still counts.
        ExpectResend(evt, TimeSpan.FromSeconds(2), outbound, ClockOf(restarted));
        again.Tell(new RaiseEmergency(EmergencyType.RingTheBell), asker.Ref);
        var limited = asker.ExpectMsg<EmergencyRateLimited>(Soon);
        Assert.InRange(limited.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        again.Tell(new AckReceived(key, Hammer, "HAMMER"), asker.Ref);
        again.Tell(GetEmergencyState.Instance, asker.Ref);
        Assert.Equal(new[] { Hammer }, asker.ExpectMsg<EmergencyState>(Soon).Outbox.Single().AcknowledgedBy);
        Terminate(restarted);
    }

    [Fact]
    public void After_a_restart_an_acknowledged_alert_waits_for_its_next_repeat()
    {
        var emergency = StartEmergency();
        var evt = RaiseAndExpect(emergency, EmergencyType.Alert911, out var key);
        emergency.Tell(new AckReceived(key, Hammer, "HAMMER"));
        StateOf(emergency);
        Watch(emergency);
        Sys.Stop(emergency);
        ExpectTerminated(emergency, Soon);

        var restarted = NewSystemOnSameDatabase();
        var outbound = ProbeIn(restarted);
        var asker = ProbeIn(restarted);
        var again = restarted.ActorOf(EmergencyActor.Props("emergency", Self, outbound.Ref));
        // Recovered (the repeat timer runs) before time moves on.
        again.Tell(GetEmergencyState.Instance, asker.Ref);
        Assert.Equal(EmergencyType.Alert911, asker.ExpectMsg<EmergencyState>(Soon).Active);

        ExpectResend(evt, TimeSpan.FromSeconds(60), outbound, ClockOf(restarted));
        Terminate(restarted);
    }

    [Fact]
    public void Recovery_from_a_snapshot_and_later_events_gives_the_same_outbox_and_rate_limit()
    {
        var settings = new EmergencySettings { SnapshotEvery = 3, MaxPerWindow = 3 };
        var emergency = Sys.ActorOf(EmergencyActor.Props("emergency-snap", Self, _outbound.Ref, settings));
        var raise = RaiseAndExpect(emergency, EmergencyType.Alert911, out var raiseKey);
        emergency.Tell(new AckReceived(raiseKey, Hammer, "HAMMER"));
        StateOf(emergency);
        Clock.Advance(TimeSpan.FromSeconds(5));
        CancelAndExpect(emergency, out _); // the third event: snapshot
        Clock.Advance(TimeSpan.FromSeconds(2));
        _outbound.ExpectMsg<SendCot>(Soon); // the cancel's resend, a fourth event after the snapshot
        var before = StateOf(emergency);
        Watch(emergency);
        Sys.Stop(emergency);
        ExpectTerminated(emergency, Soon);

        var again = Sys.ActorOf(EmergencyActor.Props("emergency-snap", Self, _outbound.Ref, settings));
        Assert.Equal("b-a-o-can", _outbound.ExpectMsg<SendCot>(Soon).Event.Type); // not acknowledged: resent at once
        var after = StateOf(again);

        Assert.Null(after.Active);
        Assert.Equal(before.Outbox.Select(Describe), after.Outbox.Select(Describe));
        Assert.Equal(before.Outbox.Select(e => e.Sends + (e.CotType == "b-a-o-can" ? 1 : 0)), after.Outbox.Select(e => e.Sends));
        // Two requests in the window of three: a raise 5 s after the cancel is allowed, the next one is not.
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("b-a-o-can", _outbound.ExpectMsg<SendCot>(Soon).Event.Type);
        var second = RaiseAndExpect(again, EmergencyType.InContact, out _);
        Assert.NotEqual(raise, second);
        Clock.Advance(TimeSpan.FromSeconds(5));
        again.Tell(CancelEmergency.Instance);
        Assert.True(ExpectMsg<EmergencyRateLimited>(Soon).RetryAfter > TimeSpan.FromMinutes(9));

        static string Describe(OutboxEntry e) => $"{e.Key} {e.CotType} {e.Time:O} {string.Join(',', e.AcknowledgedBy)}";
    }

    [Fact]
    public void Killed_under_a_restarting_parent_it_recovers_its_state_and_resumes_its_outbox()
    {
        var parent = Sys.ActorOf(RestartingParent.Props(EmergencyActor.Props("emergency-supervised", Self, _outbound.Ref), "emergency"));
        var evt = RaiseAndExpect(parent, EmergencyType.RingTheBell, out var key);
        parent.Tell(RestartingParent.GetChild.Instance);
        var child = ExpectMsg<IActorRef>(Soon);

        child.Tell(Kill.Instance);

        Assert.Equal(evt, _outbound.ExpectMsg<SendCot>(Soon).Event);
        var state = StateOf(parent);
        Assert.Equal(EmergencyType.RingTheBell, state.Active);
        Assert.Equal((key, 2), (state.Outbox.Single().Key, state.Outbox.Single().Sends));
        ExpectResend(evt, TimeSpan.FromSeconds(2));
        Clock.Advance(TimeSpan.FromSeconds(3));
        _outbound.ExpectNoMsg(Quiet);
        var cancel = CancelAndExpect(parent, out _);
        Assert.Equal("b-a-o-can", cancel.Type);
    }
}
