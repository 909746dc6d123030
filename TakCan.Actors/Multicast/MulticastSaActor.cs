using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Multicast.MulticastProtocol;
using Wire = TakCan.Protocols.TakProto.Wire;

namespace TakCan.Actors.Multicast;

/// <summary>
/// ATAK-compatible multicast, "mesh SA" (specs/multicast.md): receives CoT from the SA and GeoChat groups, one
/// event per datagram, as XML or TAK protocol mesh format, and gives every event to the device as
/// <see cref="DeviceProtocol.CotReceived"/> with a <see cref="CotSourceKind.Multicast"/> source. Sends what it is
/// told (<see cref="SendMulticast"/>) at the version the mesh negotiation of takproto/README.md allows
/// (<see cref="MeshVersionTracker"/>), and announces TakControl (min 1, max 1, our uid) every
/// <see cref="MulticastSettings.AnnounceInterval"/> and whenever that version changes.
/// </summary>
/// <remarks>
/// Hostile input: anything on the wire is counted and dropped when it is not a valid event or TakControl; no input
/// makes this actor throw. Datagrams the actor has not caught up with beyond
/// <see cref="MulticastSettings.MaxPendingDatagrams"/> are dropped and counted, so a flood cannot grow the mailbox.
/// <para/>
/// Supervision: sockets that cannot be opened (interface not up yet, address gone) or whose receive fails are
/// closed and opened again after <see cref="MulticastSettings.ReopenInterval"/> by the actor itself, not by a
/// restart. Anything else that escapes is a bug; the parent should restart this actor: PostStop closes the
/// sockets and PreStart opens and joins them afresh. The version tracker starts empty again, which is safe: it
/// relearns every contact within one SA or announcement interval.
/// </remarks>
public sealed class MulticastSaActor : ReceiveActor, IWithTimers
{
    private const string TickTimer = "tick";
    private const string ReopenTimer = "reopen";
    private static readonly CotSource Source = new(CotSourceKind.Multicast, "multicast");

    private readonly MulticastSettings _settings;
    private readonly IActorRef _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MeshVersionTracker _tracker;
    private readonly InboundGate _gate;
    private MulticastSockets? _sockets;
    private int _generation;
    private string? _lastError;
    private long _received;
    private long _delivered;
    private long _controlsReceived;
    private long _sent;
    private long _controlsSent;
    private long _bad;
    private long _unsupportedVersion;
    private long _own;
    private long _sendFailed;

    public MulticastSaActor(MulticastSettings settings, IActorRef device)
    {
        _settings = settings;
        _device = device;
        _tracker = new MeshVersionTracker(
            TakProtocolFraming.SupportedVersion, settings.AnnounceInterval, settings.ControlTimeout, settings.ForgetContactAfter, settings.MaxContacts);
        _gate = new InboundGate(settings.MaxPendingDatagrams);

        Receive<SendMulticast>(send => Send(send.Event));
        Receive<DatagramReceived>(Received);
        Receive<Tick>(_ => Evaluate(Now));
        Receive<Reopen>(_ => Open());
        Receive<SocketsFailed>(Failed);
        Receive<GetMulticastStatus>(_ => Sender.Tell(Status()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <exception cref="ArgumentException">The settings cannot work (no uid, a group that is not IPv4 multicast, ...).</exception>
    public static Props Props(MulticastSettings settings, IActorRef device)
    {
        Validate(settings);
        return Akka.Actor.Props.Create(() => new MulticastSaActor(settings, device));
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.TickInterval);
        Open();
    }

    protected override void PostStop() => Close();

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void Open()
    {
        if (!_settings.SaEnabled && !_settings.ChatEnabled) return;
        var generation = ++_generation;
        var self = Self;
        var gate = _gate;
        try
        {
            _sockets = MulticastSockets.Open(
                _settings,
                (group, data, from) =>
                {
                    if (gate.TryEnter()) self.Tell(new DatagramReceived(group, data, from, gate));
                },
                error => self.Tell(new SocketsFailed(generation, error)));
        }
        catch (SocketException ex)
        {
            _lastError = ex.Message;
            _log.Warning("Multicast on {0}: cannot open ({1}); trying again in {2}", _settings.Interface, ex.Message, _settings.ReopenInterval);
            Timers.StartSingleTimer(ReopenTimer, Reopen.Instance, _settings.ReopenInterval);
            return;
        }

        _lastError = null;
        _log.Info("Multicast on {0}: SA {1}{2}, GeoChat {3}{4}, sending from {5}", _settings.Interface,
            _settings.SaGroup, _settings.SaEnabled ? "" : " (off)", _settings.ChatGroup, _settings.ChatEnabled ? "" : " (off)", _sockets.LocalEndPoint);
        // The first announcement goes out at once, not a minute after start.
        Evaluate(Now);
    }

    private void Close()
    {
        _sockets?.Dispose();
        _sockets = null;
    }

    private void Failed(SocketsFailed failed)
    {
        if (failed.Generation != _generation || _sockets is null) return;
        _lastError = failed.Cause.Message;
        _log.Warning("Multicast receive failed ({0}); reopening in {1}", failed.Cause.Message, _settings.ReopenInterval);
        Close();
        Timers.StartSingleTimer(ReopenTimer, Reopen.Instance, _settings.ReopenInterval);
    }

    private void Received(DatagramReceived datagram)
    {
        datagram.Gate.Exit();
        _received++;
        if (_sockets?.IsOwn(datagram.From) == true)
        {
            _own++;
            return;
        }

        try
        {
            Decode(datagram.Data, Now);
        }
        catch (CotFormatException ex)
        {
            _bad++;
            _log.Debug("Multicast {0} datagram from {1} dropped: {2}", datagram.Group, datagram.From, ex.Message);
        }
        catch (Exception ex)
        {
            // By design, not by accident: a datagram is untrusted input and must never restart the actor.
            _bad++;
            _log.Warning("Multicast {0} datagram from {1} dropped: {2}: {3}", datagram.Group, datagram.From, ex.GetType().Name, ex.Message);
        }
    }

    private void Decode(byte[] data, DateTimeOffset now)
    {
        var span = data.AsSpan();
        if (span.IsEmpty) throw new CotFormatException("empty datagram");
        if (TakProtocolFraming.LooksLikeTakProtocol(span))
        {
            if (MulticastDatagram.TryPeekMeshVersion(span, out var version) && version != TakProtocolFraming.SupportedVersion)
            {
                _unsupportedVersion++;
                return;
            }

            var message = TakMessageCodec.DecodeMesh(span);
            var evt = message.CotEvent is null ? null : TakMessageConverter.ToCotEvent(message, _settings.XmlLimits);
            if (evt is null && message.TakControl is null)
                throw new CotFormatException("TakMessage carries neither a TakControl nor a CotEvent");
            Accept(evt, message.TakControl, TakProtocolFraming.SupportedVersion, now);
        }
        else if (MulticastDatagram.LooksLikeXml(span))
        {
            Accept(CotXmlReader.Read(span, _settings.XmlLimits), null, 0, now);
        }
        else
        {
            throw new CotFormatException($"neither CoT XML nor TAK protocol: first byte 0x{span[0]:X2}", 0);
        }
    }

    private void Accept(CotEvent? evt, Wire.TakControl? control, int version, DateTimeOffset now)
    {
        // A TakControl beside an event may leave contactUid empty; the event's uid names the sender then.
        var controlUid = control is null ? null : string.IsNullOrEmpty(control.ContactUid) ? evt?.Uid : control.ContactUid;
        if (controlUid == _settings.Uid || evt?.Uid == _settings.Uid)
        {
            _own++;
            return;
        }

        if (control is not null)
        {
            _controlsReceived++;
            if (controlUid is not null) _tracker.ControlReceived(controlUid, control.MinProtoVersion, control.MaxProtoVersion, now);
        }

        if (evt is not null)
        {
            if (MulticastDatagram.IsContactReport(evt)) _tracker.MessageReceived(evt.Uid, version, now);
            _delivered++;
            _device.Tell(new DeviceProtocol.CotReceived(evt, Source));
        }

        Evaluate(now);
    }

    private MeshVersionTracker.Decision Evaluate(DateTimeOffset now)
    {
        var decision = _tracker.Evaluate(now);
        if (decision.VersionChanged)
            _log.Info("Multicast send version is now {0} ({1})", decision.SendVersion, decision.SendVersion == 0 ? "XML" : "TAK protocol");
        if (decision.AnnounceNow) Announce(decision, now);
        return decision;
    }

    // takproto/README.md, mesh rules 1 and 5: to every enabled group, at version 1 even while sending XML.
    private void Announce(MeshVersionTracker.Decision decision, DateTimeOffset now)
    {
        if (_sockets is null) return;
        var datagram = TakMessageCodec.EncodeMesh(TakControlMessages.CreateSupported(_settings.Uid), decision.AnnounceVersion);
        foreach (var group in Enabled())
            if (Transmit(group, datagram))
                _controlsSent++;
        _tracker.Announced(now);
    }

    private void Send(CotEvent evt)
    {
        // Evaluated first so a version change is announced before anything goes out at the new version (rule 5).
        var decision = Evaluate(Now);
        var group = MulticastDatagram.IsGeoChat(evt) ? MulticastGroup.Chat : MulticastGroup.Sa;
        if (_sockets is null || !_sockets.Joined(group))
        {
            _sendFailed++;
            return;
        }

        byte[] datagram;
        try
        {
            datagram = decision.SendVersion == 0
                ? CotXmlWriter.ToUtf8(evt)
                : TakMessageCodec.EncodeMesh(TakMessageConverter.ToTakMessage(evt), decision.SendVersion);
        }
        catch (Exception ex)
        {
            _sendFailed++;
            _log.Warning("Multicast: cannot encode {0} {1}: {2}", evt.Type, evt.Uid, ex.Message);
            return;
        }

        if (datagram.Length > MulticastDatagram.MaxBytes)
        {
            _sendFailed++;
            _log.Warning("Multicast: {0} {1} is {2} bytes, above the {3} a datagram holds; not sent",
                evt.Type, evt.Uid, datagram.Length, MulticastDatagram.MaxBytes);
            return;
        }

        if (Transmit(group, datagram)) _sent++;
    }

    private bool Transmit(MulticastGroup group, byte[] datagram)
    {
        try
        {
            _sockets!.Send(group, datagram);
            return true;
        }
        catch (SocketException ex)
        {
            // No route or interface down: UDP is lossy anyway; the next SA or announcement tries again.
            _sendFailed++;
            _log.Debug("Multicast send to {0} failed: {1}", group, ex.Message);
            return false;
        }
    }

    private IEnumerable<MulticastGroup> Enabled()
    {
        if (_settings.SaEnabled) yield return MulticastGroup.Sa;
        if (_settings.ChatEnabled) yield return MulticastGroup.Chat;
    }

    private MulticastStatus Status()
    {
        var now = Now;
        return new MulticastStatus(
            _sockets is not null,
            _lastError,
            _sockets?.LocalEndPoint,
            _tracker.SendVersion(now),
            _tracker.Contacts(now),
            new MulticastCounters(_received, _delivered, _controlsReceived, _sent, _controlsSent, _bad, _unsupportedVersion, _own,
                _gate.Overflow, _sendFailed));
    }

    private static void Validate(MulticastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(settings.Uid, nameof(settings.Uid));
        CheckGroup(settings.SaGroup, nameof(settings.SaGroup));
        CheckGroup(settings.ChatGroup, nameof(settings.ChatGroup));
        if (settings.Interface.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"interface {settings.Interface} is not an IPv4 address", nameof(settings));
        if (settings.Ttl is < 0 or > 255)
            throw new ArgumentException($"TTL {settings.Ttl} is outside 0..255", nameof(settings));
        if (settings.TickInterval <= TimeSpan.Zero || settings.ReopenInterval <= TimeSpan.Zero)
            throw new ArgumentException("tick and reopen intervals must be positive", nameof(settings));
        if (settings.MaxPendingDatagrams < 1)
            throw new ArgumentException("at least one pending datagram must be allowed", nameof(settings));
    }

    private static void CheckGroup(IPEndPoint group, string name)
    {
        var bytes = group.Address.GetAddressBytes();
        if (group.Address.AddressFamily != AddressFamily.InterNetwork || bytes[0] is < 224 or > 239)
            throw new ArgumentException($"{name} {group} is not an IPv4 multicast group (224.0.0.0/4)", name);
        if (group.Port == 0)
            throw new ArgumentException($"{name} {group} has no port", name);
    }

    private sealed record DatagramReceived(MulticastGroup Group, byte[] Data, IPEndPoint From, InboundGate Gate);

    private sealed record SocketsFailed(int Generation, Exception Cause);

    private sealed class Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed class Reopen
    {
        public static Reopen Instance { get; } = new();
    }

    /// <summary>
    /// Bounds the datagrams between the receive loops and the actor. Shared with the loops, so thread-safe; each
    /// message carries the gate that admitted it, so one from before a restart releases the right one.
    /// </summary>
    private sealed class InboundGate(int capacity)
    {
        private int _pending;
        private long _overflow;

        public long Overflow => Interlocked.Read(ref _overflow);

        public bool TryEnter()
        {
            if (Interlocked.Increment(ref _pending) <= capacity) return true;
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _overflow);
            return false;
        }

        public void Exit() => Interlocked.Decrement(ref _pending);
    }
}
