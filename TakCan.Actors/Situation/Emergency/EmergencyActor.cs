using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using static TakCan.Actors.Situation.Emergency.EmergencyJournal;
using static TakCan.Actors.Situation.Emergency.EmergencyProtocol;

namespace TakCan.Actors.Situation.Emergency;

/// <summary>
/// This device's emergencies as a persistent outbox (specs/device.md, "Emergency"), and the emergencies other
/// nodes raise.
/// </summary>
/// <remarks>
/// A raise or cancel is answered (<see cref="EmergencyAccepted"/>) only once persisted, then sent reliably and
/// resent (2 s doubling to 60 s) until a node acknowledges it; an active alert then repeats every 60 s until
/// cancelled. Every copy is the same event, so every ack names the same key. Recovery resumes the outbox: what
/// was not acknowledged goes out again at once. Rate limit and clock use the scheduler's time, so a TestScheduler
/// drives both in tests. Emergencies from others are kept in memory only: their senders repeat them.
/// </remarks>
public sealed class EmergencyActor : ReceivePersistentActor, IWithTimers
{
    private readonly DeviceIdentity _self;
    private readonly IActorRef _outbound;
    private readonly EmergencySettings _settings;
    private readonly RateLimiter _limiter;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<OutboxItem> _outbox = new();
    private readonly Dictionary<string, IncomingEmergency> _incoming = new(StringComparer.Ordinal);

    // A raise resent by its sender can overtake the cancel on the mesh: one older than the cancel stays cancelled.
    private readonly Dictionary<string, DateTime> _cancelledAt = new(StringComparer.Ordinal);
    private CotPoint _position = new(0, 0);

    public EmergencyActor(string persistenceId, DeviceIdentity self, IActorRef outbound, EmergencySettings? settings = null)
    {
        PersistenceId = persistenceId;
        _self = self;
        _outbound = outbound;
        _settings = settings ?? EmergencySettings.Default;
        if (_settings.Plugins.Journal is { } journal) JournalPluginId = journal;
        if (_settings.Plugins.Snapshot is { } snapshot) SnapshotPluginId = snapshot;
        _limiter = new RateLimiter((1, _settings.MinInterval), (_settings.MaxPerWindow, _settings.Window));

        Recover<EmergencyRaised>(raised => Apply(raised));
        Recover<EmergencyCancelled>(cancelled => Apply(cancelled));
        Recover<EmergencyAcknowledged>(Apply);
        Recover<EmergencyResent>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is EmergencySnapshot snapshot) Restore(snapshot);
        });
        Recover<RecoveryCompleted>(_ => ResumeOutbox());

        Command<RaiseEmergency>(Raise);
        Command<CancelEmergency>(_ => Cancel());
        Command<DeviceProtocol.AckReceived>(Acknowledged);
        Command<DeviceProtocol.CotReceived>(Received);
        Command<Resend>(ResendItem);
        Command<DeviceProtocol.SelfPositionChanged>(changed => _position = changed.Position);
        Command<GetEmergencyState>(_ => Sender.Tell(new EmergencyState(
            ActiveRaise?.Type,
            _outbox.Select(static i => i.ToEntry()).ToArray(),
            _incoming.Values.OrderBy(static i => i.Time).ToArray())));
        Command<SaveSnapshotSuccess>(saved =>
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning("emergency snapshot failed: {0}", failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning("old emergency snapshots not deleted: {0}", failed.Cause.Message));
    }

    /// <param name="persistenceId">Journal id, e.g. <c>emergency</c>; one per device.</param>
    /// <param name="self">This device as the one in distress.</param>
    /// <param name="outbound">Where <see cref="DeviceProtocol.SendCot"/> goes (DeviceRoot).</param>
    public static Props Props(string persistenceId, DeviceIdentity self, IActorRef outbound, EmergencySettings? settings = null) =>
        Akka.Actor.Props.Create(() => new EmergencyActor(persistenceId, self, outbound, settings));

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTime Now => Context.System.Scheduler.Now.UtcDateTime;

    private OutboxItem? ActiveRaise => _outbox.FirstOrDefault(static i => i.Current && !i.IsCancel);

    private void Raise(RaiseEmergency raise)
    {
        var now = Now;
        // Only checked here: Apply records the request, live and in recovery alike.
        if (_limiter.RetryAfter(now) is var wait && wait > TimeSpan.Zero)
        {
            Sender.Tell(new EmergencyRateLimited(wait));
            return;
        }

        var p = _position;
        var raised = new EmergencyRaised(CotTypeOf(raise.Type), _self.Uid, _self.Callsign, _self.Type, _settings.How, now,
            (long)_settings.EventLifetime.TotalMilliseconds, p.Lat, p.Lon, p.Hae, p.Ce, p.Le);
        var requester = Sender;
        Persist(raised, persisted => FirstSend(Apply(persisted), requester));
    }

    private void Cancel()
    {
        if (ActiveRaise is null)
        {
            Sender.Tell(NoActiveEmergency.Instance);
            return;
        }

        var now = Now;
        // Only checked here: Apply records the request, live and in recovery alike.
        if (_limiter.RetryAfter(now) is var wait && wait > TimeSpan.Zero)
        {
            Sender.Tell(new EmergencyRateLimited(wait));
            return;
        }

        var p = _position;
        var cancelled = new EmergencyCancelled(_self.Uid, _self.Callsign, _settings.How, now,
            (long)_settings.EventLifetime.TotalMilliseconds, p.Lat, p.Lon, p.Hae, p.Ce, p.Le);
        var requester = Sender;
        Persist(cancelled, persisted => FirstSend(Apply(persisted), requester));
    }

    private void FirstSend(OutboxItem item, IActorRef requester)
    {
        // The next resend is scheduled before the event leaves, so whoever sees it go sees a timer running.
        Timers.StartSingleTimer(item.Key, new Resend(item.Key), item.NextDelay(_settings));
        requester.Tell(new EmergencyAccepted(item.Key));
        _outbound.Tell(new DeviceProtocol.SendCot(item.Event, Reliable: true));
        SnapshotWhenDue();
    }

    private void ResendItem(Resend resend)
    {
        var item = Find(resend.Key);
        if (item is null || !item.NeedsSending) return;
        Persist(new EmergencyResent(item.Key), persisted =>
        {
            Apply(persisted);
            Timers.StartSingleTimer(item.Key, resend, item.IsAcknowledged ? _settings.RepeatWhileActive : item.NextDelay(_settings));
            // Always the same event (same uid and time): the ack key must not change; the mesh numbers each copy.
            _outbound.Tell(new DeviceProtocol.SendCot(item.Event, Reliable: true));
            SnapshotWhenDue();
        });
    }

    private void Acknowledged(DeviceProtocol.AckReceived ack)
    {
        var item = Find(ack.Key);
        if (item is null || ack.AckerUid == _self.Uid || item.AcknowledgedBy.Contains(ack.AckerUid)) return;
        Persist(new EmergencyAcknowledged(ack.Key, ack.AckerUid, ack.AckerCallsign), persisted =>
        {
            var first = !item.IsAcknowledged;
            Apply(persisted);
            if (first && item.Current && !item.IsCancel) Timers.StartSingleTimer(item.Key, new Resend(item.Key), _settings.RepeatWhileActive);
            else if (first) Timers.Cancel(item.Key);
            SnapshotWhenDue();
        });
    }

    private void Received(DeviceProtocol.CotReceived received)
    {
        var evt = received.Event;
        if (!EmergencyBuilder.IsEmergency(evt)) return;
        var link = evt.Detail.Links.FirstOrDefault(static l => l.Relation == "p-p");
        if (evt.Uid == EmergencyBuilder.Uid(_self.Uid) || link?.Uid == _self.Uid) return;

        if (EmergencyBuilder.IsCancel(evt))
        {
            if (_incoming.TryGetValue(evt.Uid, out var current) && current.Time > evt.Time) return;
            _incoming.Remove(evt.Uid);
            _cancelledAt[evt.Uid] = evt.Time;
            return;
        }

        if (_cancelledAt.TryGetValue(evt.Uid, out var cancelledAt))
        {
            if (evt.Time <= cancelledAt) return;
            _cancelledAt.Remove(evt.Uid);
        }

        if (_incoming.TryGetValue(evt.Uid, out var known) && known.Time > evt.Time) return;
        var emergency = evt.Detail.Emergency;
        var callsign = FirstNonEmpty(emergency?.Callsign, StripAlert(evt.Detail.Contact?.Callsign), link?.Uid) ?? evt.Uid;
        _incoming[evt.Uid] = new IncomingEmergency(evt.Uid, callsign, evt.Type, emergency?.Type, evt.Point.Lat, evt.Point.Lon, evt.Time);
    }

    private void ResumeOutbox()
    {
        foreach (var item in _outbox)
        {
            if (!item.NeedsSending) continue;
            if (item.IsAcknowledged) Timers.StartSingleTimer(item.Key, new Resend(item.Key), _settings.RepeatWhileActive);
            else Self.Tell(new Resend(item.Key));
        }
    }

    private OutboxItem Apply(EmergencyRaised raised)
    {
        _limiter.Record(raised.Time);
        return Add(ItemFor(raised));
    }

    private OutboxItem Apply(EmergencyCancelled cancelled)
    {
        _limiter.Record(cancelled.Time);
        return Add(ItemFor(cancelled));
    }

    private void Apply(EmergencyAcknowledged acknowledged)
    {
        var item = Find(acknowledged.Key);
        if (item is not null && !item.AcknowledgedBy.Contains(acknowledged.AckerUid)) item.AcknowledgedBy.Add(acknowledged.AckerUid);
    }

    private void Apply(EmergencyResent resent)
    {
        if (Find(resent.Key) is { } item) item.Sends++;
    }

    /// <summary>
    /// A new raise or cancel supersedes whatever went before: an old alert stops repeating, and an old cancel stops
    /// too (sent after a new raise it would cancel that). Finished entries beyond the history kept go.
    /// </summary>
    private OutboxItem Add(OutboxItem item)
    {
        foreach (var previous in _outbox)
        {
            if (!previous.Current) continue;
            previous.Current = false;
            Timers.Cancel(previous.Key);
        }

        _outbox.Add(item);
        var finished = _outbox.Where(static i => !i.NeedsSending).ToList();
        for (var i = 0; i < finished.Count - _settings.FinishedKept; i++) _outbox.Remove(finished[i]);
        return item;
    }

    private void Restore(EmergencySnapshot snapshot)
    {
        _outbox.Clear();
        foreach (var saved in snapshot.Outbox)
        {
            var item = saved.Raised is { } raised ? ItemFor(raised) : saved.Cancelled is { } cancelled ? ItemFor(cancelled) : null;
            if (item is null) continue;
            Add(item);
            item.Sends = saved.Sends;
            item.AcknowledgedBy.AddRange(saved.AcknowledgedBy);
            item.Current = saved.Current;
        }

        // The rate limit's own record: the outbox may have dropped finished entries that still count.
        foreach (var at in snapshot.Requests) _limiter.Record(at);
    }

    private void SnapshotWhenDue()
    {
        if (LastSequenceNr % _settings.SnapshotEvery != 0) return;
        SaveSnapshot(new EmergencySnapshot(
            _outbox.Select(static i => new OutboxSnapshot(i.Raised, i.Cancelled, i.Sends, i.AcknowledgedBy.ToArray(), i.Current)).ToArray(),
            _limiter.Recent.ToArray()));
    }

    private static OutboxItem ItemFor(EmergencyRaised raised) =>
        new(raised, null, EmergencyBuilder.Raise(raised.Uid, raised.Callsign, raised.CotType, raised.Time,
            Point(raised.Lat, raised.Lon, raised.Hae, raised.Ce, raised.Le), raised.SelfType, raised.How,
            TimeSpan.FromMilliseconds(raised.Lifetime)));

    private static OutboxItem ItemFor(EmergencyCancelled cancelled) =>
        new(null, cancelled, EmergencyBuilder.Cancel(cancelled.Uid, cancelled.Callsign, cancelled.Time,
            Point(cancelled.Lat, cancelled.Lon, cancelled.Hae, cancelled.Ce, cancelled.Le), cancelled.How,
            TimeSpan.FromMilliseconds(cancelled.Lifetime)));

    private OutboxItem? Find(string key) => _outbox.FirstOrDefault(i => i.Key == key);

    private static CotPoint Point(double lat, double lon, double hae, double ce, double le) => new(lat, lon, hae, ce, le);

    private static string CotTypeOf(EmergencyType type) => type switch
    {
        EmergencyType.Alert911 => EmergencyBuilder.Alert911,
        EmergencyType.RingTheBell => EmergencyBuilder.RingTheBell,
        EmergencyType.InContact => EmergencyBuilder.InContact,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an emergency type"),
    };

    private static EmergencyType? TypeOf(string cotType) => cotType switch
    {
        EmergencyBuilder.Alert911 => EmergencyType.Alert911,
        EmergencyBuilder.RingTheBell => EmergencyType.RingTheBell,
        EmergencyBuilder.InContact => EmergencyType.InContact,
        _ => null,
    };

    // ATAK names the alert marker "<callsign>-Alert" in contact; the person is the callsign.
    private static string? StripAlert(string? callsign) =>
        callsign is not null && callsign.EndsWith("-Alert", StringComparison.Ordinal) ? callsign[..^"-Alert".Length] : callsign;

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(static v => !string.IsNullOrWhiteSpace(v));

    private sealed record Resend(string Key);

    private sealed class OutboxItem
    {
        private TimeSpan _delay;

        public OutboxItem(EmergencyRaised? raised, EmergencyCancelled? cancelled, CotEvent evt)
        {
            Raised = raised;
            Cancelled = cancelled;
            Event = evt;
            Key = DeviceProtocol.AckKey(evt);
        }

        public EmergencyRaised? Raised { get; }

        public EmergencyCancelled? Cancelled { get; }

        public CotEvent Event { get; }

        public string Key { get; }

        public bool IsCancel => Cancelled is not null;

        public EmergencyType? Type => Raised is null ? null : TypeOf(Raised.CotType);

        /// <summary>Initial send included.</summary>
        public int Sends { get; set; } = 1;

        public List<string> AcknowledgedBy { get; } = new();

        public bool IsAcknowledged => AcknowledgedBy.Count > 0;

        /// <summary>The latest raise or cancel; a newer one supersedes it.</summary>
        public bool Current { get; set; } = true;

        /// <summary>Still to go out: the active alert while active (repeats), the latest cancel until acknowledged.</summary>
        public bool NeedsSending => Current && (!IsCancel || !IsAcknowledged);

        public TimeSpan NextDelay(EmergencySettings settings)
        {
            _delay = _delay == TimeSpan.Zero ? settings.FirstResend : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, settings.MaxResend.Ticks));
            return _delay;
        }

        public OutboxEntry ToEntry() => new(Key, Event.Type, Event.Time, Sends, AcknowledgedBy.ToArray());
    }
}
