using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Tests.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Gps;
using Xunit.Abstractions;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Contacts.ContactsProtocol;

namespace TakCan.Actors.Tests.Situation.Contacts;

public class ContactsActorTests(ITestOutputHelper output) : SqliteTestKit(output)
{
    private const string SelfUid = "ANDROID-self";
    private static readonly CotSource Mesh = new(CotSourceKind.Mesh, "mesh", 1, "3f2a");
    private static readonly CotSource Server = new(CotSourceKind.Server, "server:foo");
    private static readonly ContactsSettings Fast = new() { SweepInterval = TimeSpan.FromMilliseconds(50) };

    private readonly ManualClock _clock = new();

    [Fact]
    public void An_SA_event_makes_a_contact_with_team_role_track_and_source()
    {
        var contacts = Start();
        var time = _clock.UtcNow;

        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA", time, 45.5, -73.6, course: 271.5, speed: 2.25), Mesh));

        var alpha = Assert.Single(List(contacts));
        Assert.Equal("ANDROID-a", alpha.Uid);
        Assert.Equal("ALPHA", alpha.Callsign);
        Assert.Equal("a-f-G-U-C", alpha.Type);
        Assert.Equal("Cyan", alpha.Team);
        Assert.Equal("Team Member", alpha.Role);
        Assert.Equal((45.5, -73.6, 70.0), (alpha.Lat, alpha.Lon, alpha.Hae));
        Assert.Equal(271.5, alpha.Course);
        Assert.Equal(2.25, alpha.Speed);
        Assert.Equal(time, alpha.LastSeen);
        Assert.Equal(time.AddSeconds(90), alpha.Stale);
        Assert.Equal(["mesh"], alpha.Sources);
        Assert.False(alpha.IsStale);
        Assert.Null(alpha.DistanceMeters);
        Assert.Null(alpha.BearingDegrees);
    }

    [Fact]
    public void A_newer_report_updates_the_contact_and_every_path_adds_its_source()
    {
        var contacts = Start();
        var time = _clock.UtcNow;

        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA", time, 45.5, -73.6), Mesh));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA-2", time.AddSeconds(5), 45.6, -73.7, team: "Red", role: "Team Lead", course: null, speed: null), Server));
        // A late copy of the first report over a new path: only the path is news.
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA", time, 45.5, -73.6), new CotSource(CotSourceKind.Multicast, "multicast")));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-b", "BRAVO", time, type: "a-h-G"), Server));

        var list = List(contacts);
        Assert.Equal(["ALPHA-2", "BRAVO"], list.Select(c => c.Callsign));
        var alpha = list[0];
        Assert.Equal((45.6, -73.7), (alpha.Lat, alpha.Lon));
        Assert.Equal(("Red", "Team Lead"), (alpha.Team, alpha.Role));
        Assert.Null(alpha.Course);
        Assert.Null(alpha.Speed);
        Assert.Equal(time.AddSeconds(5), alpha.LastSeen);
        Assert.Equal(["mesh", "multicast", "server:foo"], alpha.Sources);
        Assert.Equal("a-h-G", list[1].Type);
    }

    [Fact]
    public void Events_that_are_not_SA_of_someone_else_are_ignored()
    {
        var contacts = Start();
        var time = _clock.UtcNow;
        var noContact = SampleCot.Sa("ANDROID-n", "NOBODY", time) with { Detail = CotDetail.Empty };

        contacts.Tell(new CotReceived(SampleCot.Chat("GeoChat.ANDROID-a.All Chat Rooms.1", "ALPHA", time), Mesh));
        contacts.Tell(new CotReceived(SampleCot.Sa("u-marker", "Marker", time, type: "b-m-p-s-m"), Mesh));
        contacts.Tell(new CotReceived(noContact, Mesh));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-e", "", time), Mesh));
        contacts.Tell(new CotReceived(SampleCot.Sa(SelfUid, "ME", time), CotSource.Self));
        contacts.Tell(new CotReceived(SampleCot.Sa(SelfUid, "ME", time), Mesh));

        Assert.Empty(List(contacts));
    }

    [Fact]
    public void Distance_and_bearing_are_from_the_last_own_position()
    {
        var contacts = Start();
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-m", "MONTREAL", _clock.UtcNow, 45.5017, -73.5673), Mesh));

        contacts.Tell(new SelfPositionChanged(new CotPoint(0, 0)));
        contacts.Tell(new SelfPositionChanged(new CotPoint(45.4215, -75.6972)));
        var montreal = Assert.Single(List(contacts));

        Assert.Equal(GreatCircle.Distance(45.4215, -75.6972, 45.5017, -73.5673), montreal.DistanceMeters);
        Assert.InRange(montreal.DistanceMeters!.Value, 165_000, 167_000);
        Assert.InRange(montreal.BearingDegrees!.Value, 85, 87);
    }

    [Fact]
    public void A_contact_is_stale_from_its_stale_time_and_removed_a_day_later_for_good()
    {
        var contacts = Start(Fast);
        var time = _clock.UtcNow;
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA", time), Mesh));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-b", "BRAVO", time, staleAfter: TimeSpan.FromHours(2)), Mesh));

        _clock.Advance(TimeSpan.FromSeconds(89));
        Assert.All(List(contacts), c => Assert.False(c.IsStale));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([true, false], List(contacts).Select(c => c.IsStale));

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // a few sweeps
        Assert.Equal(["ALPHA", "BRAVO"], List(contacts).Select(c => c.Callsign));

        _clock.Advance(TimeSpan.FromSeconds(1));
        AwaitAssert(() => Assert.Equal(["BRAVO"], List(contacts).Select(c => c.Callsign)), Patience);

        Watch(contacts);
        Sys.Stop(contacts);
        ExpectTerminated(contacts);
        Assert.Equal(["BRAVO"], List(Start(Fast)).Select(c => c.Callsign));
    }

    [Fact]
    public void A_report_that_would_be_removed_at_once_is_not_recorded()
    {
        var contacts = Start();
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-old", "OLD", _clock.UtcNow.AddDays(-2)), Mesh));

        Assert.Empty(List(contacts));
    }

    [Fact]
    public async Task Contacts_come_back_in_a_new_system_on_the_same_file_from_snapshot_and_events()
    {
        var settings = new ContactsSettings { SnapshotEvery = 3 };
        var time = _clock.UtcNow;
        var first = StartSystem("first");
        var before = first.ActorOf(ContactsActor.Props("contacts", SelfUid, settings, _clock));
        for (var i = 0; i < 7; i++)
        {
            var uid = $"ANDROID-{i % 3}";
            before.Tell(new CotReceived(SampleCot.Sa(uid, $"C{i % 3}", time.AddSeconds(i), 45 + i * 0.01, -75), i % 2 == 0 ? Mesh : Server));
        }

        var expected = (await before.Ask<ContactList>(GetContacts.Instance, Patience)).Contacts;
        // Events up to the snapshot at 6 are deleted: the journal keeps what the last snapshot does not hold.
        await AwaitAssertAsync(() =>
        {
            Assert.Equal(1, JournalRows("contacts"));
            Assert.Equal(2, AllJournalRows("contacts"));
        }, Patience);
        await first.Terminate();

        var after = List(Start(settings: settings));

        Assert.Equal(Describe(expected), Describe(after));
        Assert.Equal(3, after.Count);
        Assert.Equal(DateTimeKind.Utc, after[0].LastSeen.Kind);
    }

    [Fact]
    public async Task A_killed_contacts_actor_is_restarted_by_its_parent_and_recovers_from_the_journal()
    {
        var parent = Sys.ActorOf(Props.Create(() => new RestartingParent(ContactsActor.Props("contacts", SelfUid, null, _clock))));
        // The parent creates its child in its own PreStart: resolve once it is there.
        IActorRef contacts = ActorRefs.Nobody;
        await AwaitAssertAsync(async () => contacts = await Sys.ActorSelection(parent.Path / "contacts").ResolveOne(TimeSpan.FromSeconds(1)), Patience);
        contacts.Tell(new SelfPositionChanged(new CotPoint(45.4215, -75.6972)));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-a", "ALPHA", _clock.UtcNow), Mesh));
        Assert.NotNull(Assert.Single(List(contacts)).DistanceMeters);
        Watch(contacts);

        EventFilter.Exception<ActorKilledException>().ExpectOne(() => contacts.Tell(Kill.Instance));
        contacts.Tell(new CotReceived(SampleCot.Sa("ANDROID-b", "BRAVO", _clock.UtcNow), Server));

        var list = List(contacts);
        Assert.Equal(["ALPHA", "BRAVO"], list.Select(c => c.Callsign));
        // The own position is not journaled: until the self reporter sends it again, ranges are unknown.
        Assert.All(list, c => Assert.Null(c.DistanceMeters));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no Terminated: restarted, not stopped
    }

    private IActorRef Start(ContactsSettings? settings = null) =>
        Sys.ActorOf(ContactsActor.Props("contacts", SelfUid, settings, _clock));

    private IReadOnlyList<Contact> List(IActorRef contacts)
    {
        contacts.Tell(GetContacts.Instance);
        return ExpectMsg<ContactList>(Patience).Contacts;
    }

    private static string[] Describe(IEnumerable<Contact> contacts) =>
        contacts.Select(c => $"{c.Uid} {c.Callsign} {c.Type} {c.Team} {c.Role} {c.Lat} {c.Lon} {c.Hae} {c.Course} {c.Speed} " +
                             $"{c.LastSeen:O} {c.Stale:O} {string.Join(",", c.Sources)} {c.IsStale}").ToArray();

    /// <summary>As DeviceRoot supervises situation actors: restart, the journal brings the state back.</summary>
    private sealed class RestartingParent : ReceiveActor
    {
        public RestartingParent(Props child)
        {
            var contacts = Context.ActorOf(child, "contacts");
            ReceiveAny(message => contacts.Forward(message));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);
    }
}
