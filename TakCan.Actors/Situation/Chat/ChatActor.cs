using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using static TakCan.Actors.Situation.Chat.ChatJournal;
using static TakCan.Actors.Situation.Chat.ChatProtocol;

namespace TakCan.Actors.Situation.Chat;

/// <summary>
/// GeoChat for this device (specs/device.md, "Chat"): sends lines as ATAK-shaped <c>b-t-f</c> events, resends them
/// until acknowledged end to end, and keeps the log of every room, incoming lines once per message id.
/// </summary>
/// <remarks>
/// A line is acknowledged to the user (<see cref="ChatAccepted"/>) only once <see cref="ChatSent"/> is persisted,
/// so a crash after that loses nothing: recovery resends every line not yet delivered. The position a line
/// carries comes from <see cref="DeviceProtocol.SelfPositionChanged"/> messages (not persisted; the self reporter sends one
/// soon after start). Time is the scheduler's clock, so tests drive it with a TestScheduler.
/// </remarks>
public sealed class ChatActor : ReceivePersistentActor, IWithTimers
{
    // ATAK's team colours: a room named after another team is not this device's to write in.
    private static readonly HashSet<string> TeamColours = new(StringComparer.OrdinalIgnoreCase)
    {
        "White", "Yellow", "Orange", "Magenta", "Red", "Maroon", "Purple", "Dark Blue", "Blue", "Cyan", "Teal",
        "Green", "Dark Green", "Brown",
    };

    private const int MaxRoomLength = 256;

    private readonly DeviceIdentity _self;
    private readonly IActorRef _outbound;
    private readonly ChatSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly List<Entry> _lines = new();
    private readonly Dictionary<string, Entry> _byMessageId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _byAckKey = new(StringComparer.Ordinal);
    private CotPoint _position = new(0, 0);

    public ChatActor(string persistenceId, DeviceIdentity self, IActorRef outbound, ChatSettings? settings = null)
    {
        PersistenceId = persistenceId;
        _self = self;
        _outbound = outbound;
        _settings = settings ?? ChatSettings.Default;
        if (_settings.Plugins.Journal is { } journal) JournalPluginId = journal;
        if (_settings.Plugins.Snapshot is { } snapshot) SnapshotPluginId = snapshot;

        Recover<ChatSent>(sent => Apply(sent));
        Recover<ChatReceived>(Apply);
        Recover<ChatAcknowledged>(Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ChatSnapshot snapshot) Restore(snapshot);
        });
        Recover<RecoveryCompleted>(_ => ResumeOutbox());

        Command<SendChat>(Send);
        Command<DeviceProtocol.CotReceived>(Received);
        Command<DeviceProtocol.AckReceived>(Acknowledged);
        Command<Resend>(ResendLine);
        Command<GetChatLog>(get => Sender.Tell(new ChatLog(_lines
            .Where(e => get.Room is null || e.Room == get.Room)
            .Select(e => e.ToMessage())
            .ToArray())));
        Command<DeviceProtocol.SelfPositionChanged>(changed => _position = changed.Position);
        Command<SaveSnapshotSuccess>(saved =>
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => _log.Warning("chat snapshot failed: {0}", failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.Warning("old chat snapshots not deleted: {0}", failed.Cause.Message));
    }

    /// <param name="persistenceId">Journal id, e.g. <c>chat</c>; one per device.</param>
    /// <param name="self">This device as a chat sender.</param>
    /// <param name="outbound">Where <see cref="DeviceProtocol.SendCot"/> goes (DeviceRoot).</param>
    public static Props Props(string persistenceId, DeviceIdentity self, IActorRef outbound, ChatSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new ChatActor(persistenceId, self, outbound, settings));

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTime Now => Context.System.Scheduler.Now.UtcDateTime;

    private void Send(SendChat send)
    {
        if (Validate(send) is { } reason)
        {
            Sender.Tell(new ChatRejected(reason));
            return;
        }

        var p = _position;
        var direct = send.Room != AllChatRooms && !string.Equals(send.Room, _self.Team, StringComparison.OrdinalIgnoreCase);
        var room = direct ? send.Room : send.Room == AllChatRooms ? AllChatRooms : _self.Team;
        var sent = new ChatSent(Guid.NewGuid().ToString(), room, direct ? room : null, _self.Uid, _self.Callsign, _self.Type,
            send.Text, Now, p.Lat, p.Lon, p.Hae, p.Ce, p.Le);
        var requester = Sender;
        Persist(sent, persisted =>
        {
            var entry = Apply(persisted);
            // The next resend is scheduled before the line leaves, so whoever sees it go sees a timer running.
            Timers.StartSingleTimer(entry.MessageId, new Resend(entry.MessageId), entry.NextDelay(_settings));
            requester.Tell(new ChatAccepted(persisted.MessageId));
            Transmit(entry);
            SnapshotWhenDue();
        });
    }

    private string? Validate(SendChat send)
    {
        if (string.IsNullOrWhiteSpace(send.Text)) return "the message is empty";
        if (send.Text.Length > _settings.MaxTextLength)
            return $"the message has {send.Text.Length} characters, at most {_settings.MaxTextLength} can be sent";
        if (string.IsNullOrWhiteSpace(send.Room)) return "no room given";
        if (send.Room == AllChatRooms || string.Equals(send.Room, _self.Team, StringComparison.OrdinalIgnoreCase)) return null;
        if (TeamColours.Contains(send.Room)) return $"'{send.Room}' is another team's room; this device is in {_self.Team}";
        if (send.Room.Length > MaxRoomLength || send.Room.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            return $"unknown room '{Shorten(send.Room)}': use \"{AllChatRooms}\", the team \"{_self.Team}\" or a contact uid";
        if (send.Room == _self.Uid) return "a direct message to this device itself";
        return null;
    }

    private void Received(DeviceProtocol.CotReceived received)
    {
        if (!GeoChatReader.TryRead(received.Event, out var line)) return;
        if (line.SenderUid == _self.Uid || _byMessageId.ContainsKey(line.MessageId)) return;
        if (!IsForThisDevice(line)) return;

        // A direct line names this device as its room; from here it belongs to the conversation with the sender.
        var room = line.RoomId == _self.Uid ? line.SenderUid : line.RoomId;
        Persist(new ChatReceived(line.MessageId, room, line.SenderUid, line.SenderCallsign, line.Text, line.Time), persisted =>
        {
            Apply(persisted);
            _log.Debug("chat {0} from {1} in {2}", persisted.MessageId, persisted.SenderCallsign, persisted.Room);
            SnapshotWhenDue();
        });
    }

    // The mesh floods every line to every node: keep the rooms this device is in and the lines addressed to it.
    private bool IsForThisDevice(GeoChatMessage line) =>
        line.RoomId == AllChatRooms ||
        string.Equals(line.RoomId, _self.Team, StringComparison.OrdinalIgnoreCase) ||
        line.RoomId == _self.Uid ||
        line.Participants.Contains(_self.Uid);

    private void Acknowledged(DeviceProtocol.AckReceived ack)
    {
        if (!_byAckKey.TryGetValue(ack.Key, out var entry)) return;
        if (ack.AckerUid == _self.Uid || entry.AcknowledgedBy.Contains(ack.AckerUid)) return;
        Persist(new ChatAcknowledged(entry.MessageId, ack.AckerUid, ack.AckerCallsign), persisted =>
        {
            Apply(persisted);
            SnapshotWhenDue();
        });
    }

    private void ResendLine(Resend resend)
    {
        if (!_byMessageId.TryGetValue(resend.MessageId, out var entry) || entry.Sent is null || entry.State == DeliveryState.Delivered)
            return;
        Timers.StartSingleTimer(entry.MessageId, resend, entry.NextDelay(_settings));
        Transmit(entry);
    }

    private void Transmit(Entry entry)
    {
        // Always the same event (same uid and time): the ack key must not change; the mesh numbers each copy.
        _outbound.Tell(new DeviceProtocol.SendCot(entry.Event!, Reliable: true));
        if (entry.State == DeliveryState.Pending) entry.State = DeliveryState.Sent;
    }

    private void ResumeOutbox()
    {
        foreach (var entry in _lines)
            if (entry.Sent is not null && entry.State != DeliveryState.Delivered)
                ResendLine(new Resend(entry.MessageId));
    }

    private Entry Apply(ChatSent sent)
    {
        var evt = GeoChatBuilder.Build(sent.SenderUid, sent.SenderCallsign, sent.SenderType, sent.Room, sent.Room, sent.Text,
            sent.MessageId, sent.Time, new CotPoint(sent.Lat, sent.Lon, sent.Hae, sent.Ce, sent.Le), sent.RecipientUid);
        var entry = new Entry(sent, null) { Event = evt, State = DeliveryState.Pending };
        Add(entry);
        _byAckKey[DeviceProtocol.AckKey(evt)] = entry;
        return entry;
    }

    private void Apply(ChatReceived received) => Add(new Entry(null, received) { State = DeliveryState.Received });

    private void Apply(ChatAcknowledged acknowledged)
    {
        if (!_byMessageId.TryGetValue(acknowledged.MessageId, out var entry) || entry.Sent is null) return;
        if (!entry.AcknowledgedBy.Contains(acknowledged.AckerUid)) entry.AcknowledgedBy.Add(acknowledged.AckerUid);
        // A room line is delivered once any node has it; a direct line only once its recipient has it.
        if (entry.Sent.RecipientUid is null || entry.Sent.RecipientUid == acknowledged.AckerUid)
        {
            entry.State = DeliveryState.Delivered;
            Timers.Cancel(entry.MessageId);
        }
    }

    private void Add(Entry entry)
    {
        _lines.Add(entry);
        _byMessageId[entry.MessageId] = entry;
    }

    private void Restore(ChatSnapshot snapshot)
    {
        _lines.Clear();
        _byMessageId.Clear();
        _byAckKey.Clear();
        foreach (var saved in snapshot.Entries)
        {
            if (saved.Received is { } received)
            {
                Apply(received);
                continue;
            }

            if (saved.Sent is not { } sent) continue;
            var entry = Apply(sent);
            entry.AcknowledgedBy.AddRange(saved.AcknowledgedBy);
            if (saved.Delivered) entry.State = DeliveryState.Delivered;
        }
    }

    private void SnapshotWhenDue()
    {
        if (LastSequenceNr % _settings.SnapshotEvery != 0) return;
        SaveSnapshot(new ChatSnapshot(_lines
            .Select(e => new ChatSnapshotEntry(e.Sent, e.Received, e.AcknowledgedBy.ToArray(), e.State == DeliveryState.Delivered))
            .ToArray()));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private sealed record Resend(string MessageId);

    private sealed class Entry(ChatSent? sent, ChatReceived? received)
    {
        private TimeSpan _delay;

        public ChatSent? Sent { get; } = sent;

        public ChatReceived? Received { get; } = received;

        public string MessageId => Sent?.MessageId ?? Received!.MessageId;

        public string Room => Sent?.Room ?? Received!.Room;

        /// <summary>The outgoing event, rebuilt from <see cref="Sent"/>.</summary>
        public CotEvent? Event { get; init; }

        public DeliveryState State { get; set; }

        public List<string> AcknowledgedBy { get; } = new();

        /// <summary>2 s, 4 s, 8 s … up to the maximum: the wait before the next resend.</summary>
        public TimeSpan NextDelay(ChatSettings settings)
        {
            _delay = _delay == TimeSpan.Zero ? settings.FirstResend : TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, settings.MaxResend.Ticks));
            return _delay;
        }

        public ChatMessage ToMessage() => Sent is { } s
            ? new ChatMessage(s.MessageId, s.Room, s.SenderUid, s.SenderCallsign, s.Text, Event!.Time, State, AcknowledgedBy.ToArray())
            : new ChatMessage(Received!.MessageId, Received.Room, Received.SenderUid, Received.SenderCallsign, Received.Text,
                Received.Time, State, []);
    }
}
