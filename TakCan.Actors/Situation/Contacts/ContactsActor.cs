using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using TakCan.Protocols.Gps;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Contacts.ContactsJournal;
using static TakCan.Actors.Situation.Contacts.ContactsProtocol;

namespace TakCan.Actors.Situation.Contacts;

/// <summary>
/// The contacts on the picture (specs/device.md, "Contacts"): one per uid, from every SA event of any source, kept
/// across restarts by persisting each report as a <see cref="ContactSeen"/>.
/// </summary>
/// <remarks>
/// The own position (<see cref="SelfPositionChanged"/>) is kept in memory only: it changes every few seconds, the
/// self reporter sends it again within its interval, and until then distance and bearing are simply unknown.
/// A snapshot is saved every <see cref="ContactsSettings.SnapshotEvery"/> events and the events before it are
/// deleted, so neither recovery nor the database grows with the hours of SA behind the picture (the CoT store
/// keeps the history).
/// </remarks>
public sealed class ContactsActor : ReceivePersistentActor, IWithTimers
{
    private readonly string _selfUid;
    private readonly ContactsSettings _settings;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, ContactState> _contacts = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private SelfPositionChanged? _self;

    public ContactsActor(string persistenceId, string selfUid, ContactsSettings settings, TimeProvider clock)
    {
        PersistenceId = persistenceId;
        if (settings.Plugins.Journal is { } journal) JournalPluginId = journal;
        if (settings.Plugins.Snapshot is { } snapshot) SnapshotPluginId = snapshot;
        _selfUid = selfUid;
        _settings = settings;
        _clock = clock;

        Recover<ContactSeen>(Apply);
        Recover<ContactRemoved>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ContactsSnapshot snapshot) Restore(snapshot);
        });

        Command<CotReceived>(OnCot);
        Command<SelfPositionChanged>(position => _self = position);
        Command<GetContacts>(_ => Sender.Tell(new ContactList(List())));
        Command<Sweep>(_ => RemoveExpired());
        Command<SaveSnapshotSuccess>(saved =>
        {
            // Everything up to the snapshot is in it; older snapshots and events only take room.
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failed => _log.Warning(failed.Cause, "contacts snapshot at {0} not saved", failed.Metadata.SequenceNr));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed => _log.Warning(failed.Cause, "contacts events up to {0} not deleted", failed.ToSequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning(failed.Cause, "old contacts snapshots not deleted"));
    }

    /// <param name="persistenceId">The journal id, e.g. <c>contacts</c>.</param>
    /// <param name="selfUid">This device's uid: its own SA is not a contact.</param>
    /// <param name="clock">What "now" is for staleness; tests pass a controllable one.</param>
    public static Props Props(string persistenceId, string selfUid, ContactsSettings? settings = null, TimeProvider? clock = null)
    {
        var resolvedSettings = settings ?? ContactsSettings.Default;
        var resolvedClock = clock ?? TimeProvider.System;
        return Akka.Actor.Props.Create(() => new ContactsActor(persistenceId, selfUid, resolvedSettings, resolvedClock));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer(Sweep.Instance, Sweep.Instance, _settings.SweepInterval);
    }

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private void OnCot(CotReceived received)
    {
        var evt = received.Event;
        if (!evt.Type.StartsWith("a-", StringComparison.Ordinal) || evt.Uid == _selfUid) return;
        if (evt.Detail.Contact?.Callsign is not { Length: > 0 } callsign) return;
        var source = received.Source.Name;
        // The same report over another path (a relay, a server) adds nothing unless the path is new.
        if (_contacts.TryGetValue(evt.Uid, out var known) && evt.Time <= known.LastSeen && known.Sources.Contains(source)) return;
        // A report old enough to be removed at once would only come and go again.
        if (Now >= evt.Stale + _settings.RemoveAfterStale) return;

        var group = evt.Detail.Group;
        var track = evt.Detail.Track;
        var seen = new ContactSeen(
            evt.Uid, callsign, evt.Type, group?.Team, group?.Role,
            evt.Point.Lat, evt.Point.Lon, evt.Point.Hae, track?.Course, track?.Speed,
            evt.Time, evt.Stale, source, received.Source.Hops);
        Persist(seen, persisted =>
        {
            Apply(persisted);
            SnapshotWhenDue();
        });
    }

    private void RemoveExpired()
    {
        var now = Now;
        var expired = _contacts.Values
            .Where(c => now >= c.Stale + _settings.RemoveAfterStale)
            .Select(c => new ContactRemoved(c.Uid))
            .ToList();
        if (expired.Count == 0) return;
        PersistAll(expired, removed =>
        {
            Apply(removed);
            SnapshotWhenDue();
        });
    }

    private void Apply(ContactSeen seen)
    {
        if (!_contacts.TryGetValue(seen.Uid, out var known))
        {
            _contacts[seen.Uid] = new ContactState(
                seen.Uid, seen.Callsign, seen.Type, seen.Team, seen.Role, seen.Lat, seen.Lon, seen.Hae,
                seen.Course, seen.Speed, seen.Time, seen.Stale, new[] { seen.Source }, seen.Hops);
            return;
        }

        // Arrays, not collection expressions: the snapshot serializer records the concrete list type.
        var sources = known.Sources.Contains(seen.Source)
            ? known.Sources
            : known.Sources.Append(seen.Source).Order(StringComparer.Ordinal).ToArray();
        // A report older than the one shown (a late relay) only adds its path.
        _contacts[seen.Uid] = seen.Time < known.LastSeen
            ? known with { Sources = sources }
            : new ContactState(
                seen.Uid, seen.Callsign, seen.Type, seen.Team, seen.Role, seen.Lat, seen.Lon, seen.Hae,
                seen.Course, seen.Speed, seen.Time, seen.Stale, sources, seen.Hops);
    }

    private void Apply(ContactRemoved removed) => _contacts.Remove(removed.Uid);

    private void Restore(ContactsSnapshot snapshot)
    {
        _contacts.Clear();
        foreach (var contact in snapshot.Contacts) _contacts[contact.Uid] = contact;
    }

    private void SnapshotWhenDue()
    {
        if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(new ContactsSnapshot(_contacts.Values.ToArray()));
    }

    private List<Contact> List()
    {
        var now = Now;
        var self = _self;
        return _contacts.Values
            .OrderBy(c => c.Callsign, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Uid, StringComparer.Ordinal)
            .Select(c => new Contact(
                c.Uid, c.Callsign, c.Type, c.Team, c.Role, c.Lat, c.Lon, c.Hae, c.Course, c.Speed,
                c.LastSeen, c.Stale, c.Sources,
                self is null ? null : GreatCircle.Distance(self.Position.Lat, self.Position.Lon, c.Lat, c.Lon),
                self is null ? null : GreatCircle.Bearing(self.Position.Lat, self.Position.Lon, c.Lat, c.Lon),
                now >= c.Stale, c.Hops))
            .ToList();
    }

    private sealed record Sweep
    {
        public static Sweep Instance { get; } = new();
    }
}
