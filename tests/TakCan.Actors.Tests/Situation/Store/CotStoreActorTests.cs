using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Situation.Store;
using TakCan.Actors.Tests.Device;
using TakCan.Protocols.Cot;
using Xunit.Abstractions;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Store.CotStoreProtocol;

namespace TakCan.Actors.Tests.Situation.Store;

public class CotStoreActorTests(ITestOutputHelper output) : SqliteTestKit(output)
{
    private const string Id = "cot-store";
    private static readonly CotSource Mesh = new(CotSourceKind.Mesh, "mesh", 2, "3f2a");
    private static readonly CotSource Server = new(CotSourceKind.Server, "server:foo");

    private readonly ManualClock _clock = new();

    [Fact]
    public void Every_event_is_stored_with_its_source_and_receive_time_and_read_back_by_range()
    {
        var store = Start();
        var t0 = _clock.UtcNow;
        var fromMesh = SampleCot.Sa("ANDROID-a", "ALPHA", t0.AddMinutes(-5));
        var ownChat = SampleCot.Chat("GeoChat.ANDROID-self.All Chat Rooms.1", "ME", t0);
        var fromServer = SampleCot.Sa("ANDROID-b", "BRAVO", t0);

        Deliver(store, fromMesh, Mesh);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Deliver(store, ownChat, CotSource.Self);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Deliver(store, fromServer, Server);

        var firstTwo = Range(store, t0, t0.AddSeconds(2));
        Assert.Equal(
            [new StoredCot(fromMesh, Mesh, t0), new StoredCot(ownChat, CotSource.Self, t0.AddSeconds(1))],
            firstTwo);
        Assert.Equal([ownChat, fromServer], Range(store, t0.AddSeconds(1), DateTime.MaxValue).Select(s => s.Event));
        Assert.Empty(Range(store, t0.AddSeconds(3), DateTime.MaxValue));
        Assert.Empty(Range(store, DateTime.MinValue, t0));
    }

    [Fact]
    public void A_range_is_in_receive_time_order_even_when_the_clock_stepped_back()
    {
        var store = Start();
        var t0 = _clock.UtcNow;
        Deliver(store, SampleCot.Sa("first", "FIRST", t0), Mesh);
        _clock.Advance(TimeSpan.FromMinutes(-10));
        Deliver(store, SampleCot.Sa("second", "SECOND", t0), Mesh);

        var all = Range(store, DateTime.MinValue, DateTime.MaxValue);

        Assert.Equal(["second", "first"], all.Select(s => s.Event.Uid));
        Assert.Equal([t0.AddMinutes(-10), t0], all.Select(s => s.Received));
    }

    [Fact]
    public void The_count_limit_bounds_the_index_at_once_and_the_journal_at_the_next_prune()
    {
        var store = Start(new CotStoreSettings { MaxCount = 3, PruneInterval = TimeSpan.FromHours(1) });

        StoreSa(store, 5);

        Assert.Equal(["u2", "u3", "u4"], Range(store, DateTime.MinValue, DateTime.MaxValue).Select(s => s.Event.Uid));
        Assert.Equal(3, Status(store).Count);
        Assert.Equal(5, JournalRows(Id)); // at most one prune an interval
    }

    [Fact]
    public void Pruning_by_count_deletes_the_oldest_events_from_the_database()
    {
        var store = Start(new CotStoreSettings { MaxCount = 3, PruneInterval = TimeSpan.FromMilliseconds(50) });

        StoreSa(store, 5);

        // u0 and u1 are the first two rows whatever the prune timer did meanwhile.
        AwaitAssert(() => Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = '{Id}' AND sequence_number <= 2 AND deleted = 0")), Patience);
        StoreSa(store, 5, first: 5);
        Assert.Equal(["u7", "u8", "u9"], Range(store, DateTime.MinValue, DateTime.MaxValue).Select(s => s.Event.Uid));
        // The three kept events and the CotPruned records written while they arrived (one or two in practice).
        AwaitAssert(() =>
        {
            Assert.InRange(JournalRows(Id), 4, 6);
            Assert.Equal(JournalRows(Id) + 1, AllJournalRows(Id));
        }, Patience);
    }

    [Fact]
    public void Pruning_by_age_removes_what_was_received_longer_ago_than_the_max_age()
    {
        var store = Start(new CotStoreSettings { MaxAge = TimeSpan.FromHours(1), PruneInterval = TimeSpan.FromMilliseconds(50) });
        StoreSa(store, 2);
        _clock.Advance(TimeSpan.FromMinutes(30));
        StoreSa(store, 1, first: 2);
        var keptSince = _clock.UtcNow;

        _clock.Advance(TimeSpan.FromMinutes(31));

        AwaitAssert(() => Assert.Equal(new CotStoreStatus(1, keptSince, keptSince), Status(store)), Patience);
        Assert.Equal(["u2"], Range(store, DateTime.MinValue, DateTime.MaxValue).Select(s => s.Event.Uid));
        AwaitAssert(() => Assert.Equal(2, JournalRows(Id)), Patience);
    }

    [Fact]
    public async Task The_store_comes_back_in_a_new_system_from_its_snapshot_pruning_and_later_events()
    {
        var settings = new CotStoreSettings { MaxCount = 4, SnapshotEvery = 2, PruneInterval = TimeSpan.FromMilliseconds(50) };
        var first = StartSystem("first");
        var before = first.ActorOf(CotStoreActor.Props(Id, settings, _clock));
        for (var i = 0; i < 6; i++)
        {
            before.Tell(new CotReceived(SampleCot.Sa($"u{i}", $"C{i}", _clock.UtcNow), i % 2 == 0 ? Mesh : Server));
            await before.Ask<CotStoreStatus>(GetCotStoreStatus.Instance, Patience);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        await AwaitAssertAsync(() =>
        {
            Assert.InRange(Scalar($"SELECT COUNT(*) FROM snapshot WHERE persistence_id = '{Id}'"), 1, 2);
            Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = '{Id}' AND sequence_number <= 2 AND deleted = 0"));
        }, Patience);
        before.Tell(new CotReceived(SampleCot.Sa("u6", "C6", _clock.UtcNow), Mesh));
        var expected = (await before.Ask<CotRange>(new GetCotRange(DateTime.MinValue, DateTime.MaxValue), Patience)).Events;
        await first.Terminate();

        var after = Start(settings);

        Assert.Equal(expected, Range(after, DateTime.MinValue, DateTime.MaxValue));
        Assert.Equal(["u3", "u4", "u5", "u6"], expected.Select(s => s.Event.Uid));
        Deliver(after, SampleCot.Sa("u7", "C7", _clock.UtcNow), Server);
        Assert.Equal(["u4", "u5", "u6", "u7"], Range(after, DateTime.MinValue, DateTime.MaxValue).Select(s => s.Event.Uid));
    }

    private IActorRef Start(CotStoreSettings? settings = null) => Sys.ActorOf(CotStoreActor.Props(Id, settings, _clock));

    private void StoreSa(IActorRef store, int count, int first = 0)
    {
        for (var i = first; i < first + count; i++) Deliver(store, SampleCot.Sa($"u{i}", $"C{i}", _clock.UtcNow), Mesh);
    }

    // Waits until the store has taken the event in (a persisting actor answers only after), so that the clock
    // the test moves next is not the clock the event was received at.
    private void Deliver(IActorRef store, CotEvent evt, CotSource source)
    {
        store.Tell(new CotReceived(evt, source));
        Status(store);
    }

    private IReadOnlyList<StoredCot> Range(IActorRef store, DateTime from, DateTime to)
    {
        store.Tell(new GetCotRange(from, to));
        return ExpectMsg<CotRange>(Patience).Events;
    }

    private CotStoreStatus Status(IActorRef store)
    {
        store.Tell(GetCotStoreStatus.Instance);
        return ExpectMsg<CotStoreStatus>(Patience);
    }
}
