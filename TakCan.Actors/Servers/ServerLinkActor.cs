using System.Buffers;
using Akka.Actor;
using Akka.Event;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Servers;

/// <summary>
/// The link to one TAK Server (specs/server-links.md): connects over TCP or TLS, authenticates, streams CoT XML and
/// upgrades to TAK protocol when the server offers it, pings, and reconnects with jittered exponential backoff.
/// Every CoT the server sends (pings, pongs and negotiation aside) goes to the device as
/// <see cref="DeviceProtocol.CotReceived"/> from <c>server:&lt;name&gt;</c>; <see cref="SendToServer"/> goes the
/// other way. Several links run side by side, one per configured server.
/// </summary>
/// <remarks>
/// Supervision: nothing a server does can make this actor throw. Socket, TLS, framing and decoding failures are
/// caught where they happen, become messages, are counted, and end in a backoff and a new connection; a bad event
/// is skipped. An exception that still escapes a handler is a bug in this class: the parent should restart the link
/// (<see cref="ParentStrategy"/>), which drops the connection in <see cref="PostStop"/> and connects afresh, losing
/// only the outgoing queue. It must never be escalated: one server's trouble must not stop the device.
/// </remarks>
public sealed class ServerLinkActor : ReceiveActor, IWithTimers
{
    private const string TickTimer = "tick";
    private const string RetryTimer = "retry";
    private const string NegotiationTimer = "negotiation";
    private const string OfferTimer = "offer";

    // A server that sends nothing but garbage should not flood the log: the first few per connection, then a sample.
    private const int BadEventsLoggedPerConnection = 5;

    private readonly ServerLinkSettings _settings;
    private readonly IActorRef _device;
    private readonly CotSource _source;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Queue<CotEvent> _queue = new();
    private readonly RecentServerEvents _recent;
    private readonly List<ServerStreamReader.Item> _items = new();

    private int _generation;
    private ServerConnection? _connection;
    private ServerStreamReader? _reader;
    private ServerLinkState _state = ServerLinkState.Connecting;
    private ServerFraming _framing = ServerFraming.Xml;
    private DateTimeOffset _since;
    private DateTimeOffset _lastHeard;
    private string? _lastError;
    private int _failures;
    private int _badThisConnection;
    private long _eventsIn;
    private long _eventsOut;
    private long _badEvents;
    private long _duplicates;
    private long _dropped;
    private long _droppedByClosedConnections;
    private long _connections;
    private long _attempts;

    public ServerLinkActor(ServerLinkSettings settings, IActorRef device)
    {
        _settings = settings;
        _device = device;
        _source = new CotSource(CotSourceKind.Server, settings.SourceName);
        _recent = new RecentServerEvents(settings.RecentEventCapacity);

        Receive<SendToServer>(send => Send(send.Event));
        Receive<GetServerStatus>(_ => Sender.Tell(Status()));
        Receive<Opened>(OnOpened);
        Receive<OpenFailed>(failed =>
        {
            if (failed.Generation == _generation) Fail(failed.Reason);
        });
        Receive<Received>(OnReceived);
        Receive<Closed>(closed =>
        {
            if (closed.Generation != _generation || _connection is null) return;
            // A server that hangs up before a word usually refused who we are.
            var refusedUs = _state == ServerLinkState.Connecting && (_settings.Tls is not null || _settings.Credentials is not null);
            Fail(refusedUs ? closed.Reason + " before saying anything (did it refuse this device's certificate or password?)" : closed.Reason);
        });
        Receive<Tick>(_ => OnTick());
        Receive<OfferWindowClosed>(closed =>
        {
            if (closed.Generation != _generation || _state != ServerLinkState.Connected) return;
            _log.Info("Server {0}: no TAK protocol offer; streaming XML", _settings.Name);
            Enter(ServerLinkState.Streaming);
        });
        Receive<NegotiationTimedOut>(timedOut =>
        {
            if (timedOut.Generation == _generation && _state == ServerLinkState.Negotiating)
                Fail($"no answer to the TAK protocol request within {_settings.NegotiationTimeout.TotalSeconds:0.#} s");
        });
        Receive<Retry>(_ => Connect());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>What a parent of server links should do when one throws: restart it (see the class remarks).</summary>
    public static SupervisorStrategy ParentStrategy { get; } =
        new OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: _ => Directive.Restart);

    /// <exception cref="ArgumentException">The settings are unusable (see <see cref="ServerLinkSettings.Validate"/>).</exception>
    public static Props Props(ServerLinkSettings settings, IActorRef device)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return Akka.Actor.Props.Create(() => new ServerLinkActor(settings, device));
    }

    protected override void PreStart()
    {
        if (_settings.Credentials is not null && _settings.Tls is null)
            _log.Warning("Server {0}: the password goes to {1} without TLS", _settings.Name, _settings.Endpoint);
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.PingInterval);
        Connect();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        CloseConnection();
    }

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private bool CanWrite => _connection is not null && _state is ServerLinkState.Connected or ServerLinkState.Streaming;

    private void Connect()
    {
        _generation++;
        _attempts++;
        _framing = ServerFraming.Xml;
        Enter(ServerLinkState.Connecting);
        var generation = _generation;
        var self = Self;
        var settings = _settings;
        var stopping = _stopping.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                var connection = await ServerConnection.OpenAsync(settings, stopping).ConfigureAwait(false);
                if (stopping.IsCancellationRequested) connection.Dispose();
                else self.Tell(new Opened(generation, connection));
            }
            catch (Exception e)
            {
                if (!stopping.IsCancellationRequested) self.Tell(new OpenFailed(generation, Describe(e)));
            }
        });
    }

    private void OnOpened(Opened opened)
    {
        if (opened.Generation != _generation || _state != ServerLinkState.Connecting)
        {
            opened.Connection.Dispose();
            return;
        }

        // Still Connecting: a TLS server may refuse the client certificate only after the handshake (always so with
        // TLS 1.3), so the link counts as connected once the server has said something.
        _connection = opened.Connection;
        _reader = new ServerStreamReader(_settings.XmlLimits, _settings.MaxTakMessageBytes);
        _badThisConnection = 0;
        _lastHeard = Now;
        var self = Self;
        var generation = _generation;
        _connection.Start(
            bytes => self.Tell(new Received(generation, bytes)),
            reason => self.Tell(new Closed(generation, reason)));

        // TAK Server reads the auth message before anything else.
        if (_settings.Credentials is { } credentials) _connection.Write(ServerAuthMessage.Build(credentials, _settings.DeviceUid));
        // A ping at once: a live server answers within a round trip, which is what shows it accepted us.
        WriteControl(ServerPingBuilder.Ping(_settings.DeviceUid, Now.UtcDateTime));
    }

    // The server has spoken, so it took our certificate and password: queued events may go.
    private void Accepted()
    {
        _connections++;
        _failures = 0;
        _log.Info("Server {0}: connected to {1}{2}", _settings.Name, _settings.Endpoint,
            _connection!.Security is { } security ? " (" + security + ")" : "");
        if (_settings.RequestTakProtocol)
        {
            // commoncommo waits as long for an offer before it settles on XML.
            Enter(ServerLinkState.Connected);
            Timers.StartSingleTimer(OfferTimer, new OfferWindowClosed(_generation), _settings.OfferTimeout);
        }
        else
        {
            Enter(ServerLinkState.Streaming);
        }

        Flush();
    }

    private void OnReceived(Received received)
    {
        if (received.Generation != _generation || _connection is null || _reader is null) return;
        _lastHeard = Now;
        if (_state == ServerLinkState.Connecting) Accepted();

        _items.Clear();
        CotFormatException? broken = null;
        try
        {
            _reader.Feed(received.Bytes, _items);
        }
        catch (CotFormatException e)
        {
            broken = e;
        }

        // Events before a broken frame were whole; they are delivered first.
        foreach (var item in _items) Handle(item);
        if (broken is not null)
        {
            Fail("broken TAK protocol framing from the server: " + broken.Message);
            return;
        }

        _connection?.Acknowledge();
    }

    private void Handle(ServerStreamReader.Item item)
    {
        switch (item)
        {
            case ServerStreamReader.Item.Event(var evt):
                OnEvent(evt);
                break;
            case ServerStreamReader.Item.Bad(var reason):
                _badEvents++;
                if (++_badThisConnection <= BadEventsLoggedPerConnection || _badEvents % 1000 == 0)
                    _log.Warning("Server {0}: skipped an unreadable event ({1} so far): {2}", _settings.Name, _badEvents, reason);
                break;
            case ServerStreamReader.Item.Answered(var accepted):
                Timers.Cancel(NegotiationTimer);
                _framing = _reader!.Framing;
                Enter(ServerLinkState.Streaming);
                if (accepted) _log.Info("Server {0}: streaming TAK protocol", _settings.Name);
                else _log.Info("Server {0}: the server declined TAK protocol; staying on XML", _settings.Name);
                Flush();
                break;
        }
    }

    private void OnEvent(CotEvent evt)
    {
        if (ServerPingBuilder.IsPong(evt)) return;
        if (ServerPingBuilder.IsPing(evt))
        {
            if (CanWrite) WriteControl(ServerPingBuilder.Pong(Now.UtcDateTime));
            return;
        }

        if (TakProtocolNegotiation.IsNegotiation(evt))
        {
            if (TakProtocolNegotiation.TryReadOffer(evt, out var versions)) Offered(evt.Uid, versions);
            return;
        }

        if (!_recent.IsNew(evt))
        {
            _duplicates++;
            return;
        }

        _eventsIn++;
        _device.Tell(new DeviceProtocol.CotReceived(evt, _source));
    }

    // takproto README, streaming steps 3-6: answer with the offer's uid, then write nothing until the response.
    private void Offered(string offerUid, IReadOnlyList<int> versions)
    {
        if (_state != ServerLinkState.Connected || !versions.Contains(TakProtocolFraming.SupportedVersion))
        {
            _log.Debug("Server {0}: TAK protocol offered (versions {1}); staying on XML", _settings.Name, string.Join(",", versions));
            return;
        }

        Timers.Cancel(OfferTimer);
        WriteControl(TakProtocolNegotiation.Request(offerUid, TakProtocolFraming.SupportedVersion, Now.UtcDateTime));
        _reader!.AwaitingResponse = true;
        Enter(ServerLinkState.Negotiating);
        Timers.StartSingleTimer(NegotiationTimer, new NegotiationTimedOut(_generation), _settings.NegotiationTimeout);
    }

    private void Send(CotEvent evt)
    {
        if (CanWrite)
        {
            WriteEvent(evt);
            return;
        }

        if (_queue.Count >= _settings.MaxQueuedEvents)
        {
            _dropped++;
            if (_settings.MaxQueuedEvents == 0) return;
            _queue.Dequeue();
        }

        _queue.Enqueue(evt);
    }

    private void Flush()
    {
        while (CanWrite && _queue.TryDequeue(out var evt)) WriteEvent(evt);
    }

    private void WriteEvent(CotEvent evt)
    {
        if (Encode(evt) is not { } frame)
        {
            _dropped++;
            return;
        }

        _connection!.Write(frame);
        _eventsOut++;
    }

    private void WriteControl(CotEvent evt)
    {
        if (Encode(evt) is { } frame) _connection!.Write(frame);
    }

    private byte[]? Encode(CotEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            if (_framing == ServerFraming.TakProtocol)
            {
                TakMessageCodec.WriteStream(buffer, TakMessageConverter.ToTakMessage(evt));
            }
            else
            {
                // takproto README, "Traditional Protocol": declaration, newline, event; nothing after </event>.
                buffer.Write(CotXmlWriter.Declaration);
                buffer.Write("\n"u8);
                CotXmlWriter.Write(evt, buffer, declaration: false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "Server {0}: cannot encode event {1} ({2}); dropped", _settings.Name, evt.Uid, evt.Type);
            return null;
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void OnTick()
    {
        if (_connection is null || _state == ServerLinkState.Negotiating) return;
        var silence = Now - _lastHeard;
        if (silence >= _settings.EffectiveReadTimeout)
        {
            Fail($"no data from the server for {silence.TotalSeconds:0.#} s (read timeout {_settings.EffectiveReadTimeout.TotalSeconds:0.#} s)");
            return;
        }

        WriteControl(ServerPingBuilder.Ping(_settings.DeviceUid, Now.UtcDateTime));
    }

    private void Fail(string reason)
    {
        _lastError = reason;
        CloseConnection();
        _failures++;
        var delay = BackoffDelay(_failures);
        Enter(ServerLinkState.Backoff);
        _log.Warning("Server {0} ({1}): {2}; next attempt in {3:0.0} s", _settings.Name, _settings.Endpoint, reason, delay.TotalSeconds);
        Timers.StartSingleTimer(RetryTimer, Retry.Instance, delay);
    }

    private void CloseConnection()
    {
        Timers.Cancel(NegotiationTimer);
        Timers.Cancel(OfferTimer);
        if (_connection is not null)
        {
            _droppedByClosedConnections += _connection.DroppedFrames;
            _connection.Dispose();
            _connection = null;
        }

        _reader = null;
        // Whatever the old connection's tasks still send is recognised as stale by its generation.
        _generation++;
    }

    // Exponential from the minimum, capped, then stretched by up to the jitter factor (and capped again).
    private TimeSpan BackoffDelay(int failures)
    {
        var exponential = _settings.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, _settings.MaxBackoff.TotalMilliseconds);
        var jittered = capped * (1 + Random.Shared.NextDouble() * _settings.BackoffJitter);
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _settings.MaxBackoff.TotalMilliseconds));
    }

    private void Enter(ServerLinkState state)
    {
        if (_state == state && _since != default) return;
        _state = state;
        _since = Now;
    }

    private ServerStatus Status() => new(
        _settings.Name,
        _settings.Endpoint,
        _state,
        _framing,
        _since,
        new ServerLinkCounters(
            _eventsIn,
            _eventsOut,
            _badEvents,
            _duplicates,
            _dropped + _droppedByClosedConnections + (_connection?.DroppedFrames ?? 0),
            _connections,
            Math.Max(0, _attempts - 1)),
        _lastError,
        _connection?.Security);

    private string Describe(Exception e) => e switch
    {
        ServerLinkException => e.Message,
        _ => $"{_settings.Endpoint}: {e.GetType().Name}: {e.Message}",
    };

    private sealed record Opened(int Generation, ServerConnection Connection);

    private sealed record OpenFailed(int Generation, string Reason);

    private sealed record Received(int Generation, byte[] Bytes);

    private sealed record Closed(int Generation, string Reason);

    private sealed record NegotiationTimedOut(int Generation);

    private sealed record OfferWindowClosed(int Generation);

    private sealed class Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed class Retry
    {
        public static Retry Instance { get; } = new();
    }
}
