using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Json;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Store.CotStoreJournal;
using static TakCan.Actors.Situation.Store.CotStoreProtocol;

namespace TakCan.Actors.Situation.Store;

/// <summary>
/// The CoT history (specs/device.md, "CoT store"): every event received or sent, with its source and receive
/// time, as one <see cref="CotStored"/> each, kept by age and by count.
/// </summary>
/// <remarks>
/// Only an index (sequence number, receive time) is held in memory, never more entries than the retention keeps:
/// at 100 000 events of about a kilobyte the events themselves would not fit a phone. A range query reads them
/// back from the journal (Akka.Persistence.Query). The count limit trims the index at once; the journal is pruned
/// at most every <see cref="CotStoreSettings.PruneInterval"/>: a <see cref="CotPruned"/>, then the events up to it
/// are deleted, so the database stays bounded too. A snapshot of the index at a prune bounds recovery.
/// </remarks>
public sealed class CotStoreActor : ReceivePersistentActor, IWithTimers
{
    private readonly CotStoreSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Queue<IndexEntry> _index = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _prunedUpTo;
    private long _persistedPrunedUpTo;
    private long _snapshotAt;
    private ICurrentEventsByPersistenceIdQuery? _readJournal;
    private IMaterializer? _materializer;

    public CotStoreActor(string persistenceId, CotStoreSettings settings, TimeProvider clock)
    {
        if (settings.MaxCount < 1) throw new ArgumentOutOfRangeException(nameof(settings), "MaxCount must be at least 1");
        PersistenceId = persistenceId;
        if (settings.Plugins.Journal is { } journal) JournalPluginId = journal;
        if (settings.Plugins.Snapshot is { } snapshot) SnapshotPluginId = snapshot;
        _settings = settings;
        _clock = clock;

        Recover<CotStored>(stored => Index(LastSequenceNr, stored.Received));
        Recover<CotPruned>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is CotStoreSnapshot snapshot) Restore(snapshot, offer.Metadata.SequenceNr);
        });

        Command<CotReceived>(Store);
        Command<GetCotRange>(Range);
        Command<GetCotStoreStatus>(_ => Sender.Tell(Status()));
        Command<Prune>(_ => PruneJournal());
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "CoT store snapshot at {0} not saved", failed.Metadata.SequenceNr));
        Command<DeleteMessagesSuccess>(_ => { });
        // The next prune deletes up to a later point, which covers these.
        Command<DeleteMessagesFailure>(failed => _log.Warning(failed.Cause, "CoT store events up to {0} not deleted", failed.ToSequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "old CoT store snapshots not deleted"));
    }

    /// <param name="persistenceId">The journal id, e.g. <c>cot-store</c>.</param>
    /// <param name="clock">Receive times and the age limit; tests pass a controllable one.</param>
    public static Props Props(string persistenceId, CotStoreSettings? settings = null, TimeProvider? clock = null)
    {
        var resolvedSettings = settings ?? CotStoreSettings.Default;
        var resolvedClock = clock ?? TimeProvider.System;
        return Akka.Actor.Props.Create(() => new CotStoreActor(persistenceId, resolvedSettings, resolvedClock));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        _materializer = Context.Materializer();
        Timers.StartPeriodicTimer(Prune.Instance, Prune.Instance, _settings.PruneInterval);
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private void Store(CotReceived received)
    {
        var source = received.Source;
        var stored = new CotStored(CotJson.Serialize(received.Event), source.Kind.ToString(), source.Name, source.Hops, source.Node, Now);
        Persist(stored, persisted => Index(LastSequenceNr, persisted.Received));
    }

    private void Index(long sequenceNr, DateTime received)
    {
        _index.Enqueue(new IndexEntry(sequenceNr, received));
        while (_index.Count > _settings.MaxCount) _prunedUpTo = _index.Dequeue().SequenceNr;
    }

    private void Apply(CotPruned pruned)
    {
        while (_index.TryPeek(out var oldest) && oldest.SequenceNr <= pruned.UpToSequenceNr) _index.Dequeue();
        _prunedUpTo = Math.Max(_prunedUpTo, pruned.UpToSequenceNr);
        _persistedPrunedUpTo = Math.Max(_persistedPrunedUpTo, pruned.UpToSequenceNr);
    }

    private void Restore(CotStoreSnapshot snapshot, long sequenceNr)
    {
        _index.Clear();
        for (var i = 0; i < snapshot.SequenceNrs.Length; i++)
            _index.Enqueue(new IndexEntry(snapshot.SequenceNrs[i], new DateTime(snapshot.ReceivedTicks[i], DateTimeKind.Utc)));
        _prunedUpTo = _persistedPrunedUpTo = snapshot.PrunedUpTo;
        _snapshotAt = sequenceNr;
    }

    // Oldest first by arrival: if the clock stepped back, a younger entry can wait behind an older one until the
    // count limit or the age of the one before it takes it.
    private void PruneJournal()
    {
        var now = Now;
        var cutoff = now.Ticks > _settings.MaxAge.Ticks ? now - _settings.MaxAge : DateTime.MinValue;
        while (_index.TryPeek(out var oldest) && oldest.Received < cutoff) _prunedUpTo = _index.Dequeue().SequenceNr;
        if (_prunedUpTo <= _persistedPrunedUpTo)
        {
            SnapshotWhenDue();
            return;
        }

        Persist(new CotPruned(_prunedUpTo), pruned =>
        {
            Apply(pruned);
            DeleteMessages(pruned.UpToSequenceNr);
            SnapshotWhenDue();
        });
    }

    private void SnapshotWhenDue()
    {
        if (LastSequenceNr - _snapshotAt < _settings.SnapshotEvery) return;
        var entries = _index.ToArray();
        SaveSnapshot(new CotStoreSnapshot(
            entries.Select(e => e.SequenceNr).ToArray(),
            entries.Select(e => e.Received.Ticks).ToArray(),
            _prunedUpTo));
        _snapshotAt = LastSequenceNr;
    }

    private void Range(GetCotRange query)
    {
        var (from, to) = (query.From, query.To);
        long first = 0, last = 0;
        foreach (var entry in _index)
        {
            if (entry.Received < from || entry.Received >= to) continue;
            if (first == 0) first = entry.SequenceNr;
            last = entry.SequenceNr;
        }

        if (first == 0)
        {
            Sender.Tell(new CotRange([]));
            return;
        }

        // The reply is what the index holds now: later events lie past `last`, and events the count limit has
        // dropped but the journal keeps until the next prune lie at or below `prunedUpTo`.
        var prunedUpTo = _prunedUpTo;
        var log = _log;
        ReadJournal().CurrentEventsByPersistenceId(PersistenceId, first, last)
            .RunWith(Sink.Seq<EventEnvelope>(), _materializer!)
            .PipeTo(
                Sender,
                success: envelopes => new CotRange(envelopes
                    .Where(e => e.SequenceNr > prunedUpTo)
                    .Select(e => e.Event is CotStored stored && stored.Received >= from && stored.Received < to ? Read(stored, e.SequenceNr, log) : null)
                    .OfType<StoredCot>()
                    .OrderBy(s => s.Received)
                    .ToList()),
                failure: e => new Akka.Actor.Status.Failure(e));
    }

    private ICurrentEventsByPersistenceIdQuery ReadJournal() =>
        _readJournal ??= PersistenceQuery.Get(Context.System).ReadJournalFor<ICurrentEventsByPersistenceIdQuery>(_settings.ReadJournalPluginId);

    // Runs outside the actor (in the query's continuation): touches nothing but its arguments.
    private static StoredCot? Read(CotStored stored, long sequenceNr, ILoggingAdapter log)
    {
        try
        {
            var kind = Enum.Parse<CotSourceKind>(stored.SourceKind);
            return new StoredCot(CotJson.Deserialize(stored.Json), new CotSource(kind, stored.SourceName, stored.Hops, stored.Node), stored.Received);
        }
        catch (Exception e) when (e is CotFormatException or ArgumentException)
        {
            log.Warning("stored CoT event {0} unreadable, left out: {1}", sequenceNr, e.Message);
            return null;
        }
    }

    private CotStoreStatus Status() =>
        _index.Count == 0
            ? new CotStoreStatus(0, null, null)
            : new CotStoreStatus(_index.Count, _index.Peek().Received, _index.Last().Received);

    private readonly record struct IndexEntry(long SequenceNr, DateTime Received);

    private sealed record Prune
    {
        public static Prune Instance { get; } = new();
    }
}
