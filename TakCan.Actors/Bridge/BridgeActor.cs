using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Google.Protobuf;
using TakCan.Actors.Device;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Protocols.Bridge;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Bridge.BridgeJournal;
using static TakCan.Actors.Bridge.BridgeProtocol;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Bridge;

/// <summary>
/// Bridge mode (specs/bridge.md): onboards mesh peers whose client certificate the server's CA issued, sends their
/// signed CoT (and only theirs) up to the servers, and sends what the servers send into the mesh as this device's own
/// messages, without echo between the two sides or between several bridges on one mesh.
/// </summary>
/// <remarks>
/// DeviceRoot hands it every cot and control envelope from the mesh and every event from a server; it finds the mesh
/// and the servers outlet by asking DeviceRoot for its children once recovered. The bridge's own CoT goes to the
/// servers as every device's does (the servers outlet), not through here.
/// </remarks>
public sealed class BridgeActor : ReceivePersistentActor, IWithTimers
{
    private const string LinkPrefix = "server-";
    private const string ServerSourcePrefix = "server:";
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(5);

    private readonly BridgeSettings _settings;
    private readonly IActorRef _device;
    private readonly IKeyStore? _credentials;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<NodeId, Peer> _peers = new();

    // Certificates an operator removed (fingerprint → expiry): refused when they try to onboard again.
    private readonly Dictionary<string, DateTime> _revoked = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<NodeId, (IReadOnlyList<BridgeRealm> Realms, DateTime LastHeard)> _bridges = new();
    private readonly List<(OnboardRequest Request, NodeId Origin)> _pendingOnboards = new();
    private readonly RecentCot _recent;
    private IReadOnlyList<BridgeServer> _trust = [];
    private DateTime _trustLoadedAt = DateTime.MinValue;
    private bool _trustLoading;
    private bool _announcedOnce;
    private DateTime _lastAnnounced = DateTime.MinValue;
    private IActorRef _mesh = ActorRefs.Nobody;
    private IActorRef _servers = ActorRefs.Nobody;
    private string? _lastRefusal;
    private long _onboarded, _onboardRefused, _uploaded, _injected, _notOnboarded, _badSignature, _foreignUid, _echoes, _standby;

    public BridgeActor(BridgeSettings settings, IActorRef device, IKeyStore? credentials)
    {
        _settings = settings;
        _device = device;
        _credentials = credentials;
        _recent = new RecentCot(settings.EchoWindow, settings.EchoCapacity);
        PersistenceId = settings.PersistenceId;

        Recover<PeerOnboarded>(Apply);
        Recover<PeerRemoved>(Apply);
        Recover<PeerRevoked>(Apply);
        Recover<RecoveryCompleted>(_ => _device.Tell(DeviceProtocol.GetChildren.Instance));

        Command<DeviceProtocol.ChildrenOf>(Started);
        Command<MeshMessageReceived>(FromMesh);
        Command<DeviceProtocol.CotReceived>(received =>
        {
            if (received.Source.Kind == CotSourceKind.Server) FromServer(received.Event, received.Source.Name);
        });
        Command<TrustLoaded>(Loaded);
        Command<Release>(Inject);
        Command<Tick>(_ => OnTick());
        Command<GetBridgeStatus>(_ => Sender.Tell(Status()));
        Command<RemoveOnboardedPeer>(Remove);
        Command<SentToMesh>(_ => { });
    }

    /// <param name="device">DeviceRoot: asked for the mesh and the servers outlet.</param>
    /// <param name="credentials">The key store that <c>keystore:NAME</c> CA references are read from; null: files only.</param>
    public static Props Props(BridgeSettings settings, IActorRef device, IKeyStore? credentials = null) =>
        Akka.Actor.Props.Create(() => new BridgeActor(settings, device, credentials));

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private static DateTime Now => DateTime.UtcNow;

    private void Started(DeviceProtocol.ChildrenOf children)
    {
        _mesh = children.Mesh;
        _servers = children.Named.GetValueOrDefault("servers") ?? ActorRefs.Nobody;
        if (_servers.IsNobody()) _log.Warning("Bridge on {0}: the device has no servers part, so there is nothing to bridge", _settings.Node.Short);
        RefreshTrust();
        Timers.StartPeriodicTimer("tick", Tick.Instance, _settings.AnnounceInterval);
    }

    // ---- onboarding -------------------------------------------------------------------------------------------

    private void FromMesh(MeshMessageReceived received)
    {
        var envelope = received.Envelope;
        if (envelope.Kind == MeshMessageKind.Cot) Up(envelope);
        else if (envelope.Kind == MeshMessageKind.Control) Control(envelope);
    }

    private void Control(MeshEnvelope envelope)
    {
        BridgeControlMessage? message;
        try
        {
            message = BridgeControlMessage.Read(envelope.Payload);
        }
        catch (BridgeMessageException e)
        {
            Refuse(envelope.Origin, e.Message);
            return;
        }

        switch (message)
        {
            case OnboardRequest request:
                if (_pendingOnboards.Count >= _settings.MaxPendingOnboards)
                {
                    Refuse(envelope.Origin, "too many onboard messages at once; dropped");
                    return;
                }

                _pendingOnboards.Add((request, envelope.Origin));
                // Server trust may have changed (a server enrolled meanwhile): read it again unless it is fresh.
                if (Now - _trustLoadedAt > _settings.TrustRefresh) RefreshTrust();
                else if (!_trustLoading) VerifyPending();
                break;
            case BridgeAnnouncement announcement:
                Heard(envelope.Origin, announcement);
                break;
        }
    }

    private void VerifyPending()
    {
        var pending = _pendingOnboards.ToArray();
        _pendingOnboards.Clear();
        foreach (var (request, origin) in pending)
        {
            string? problem;
            PeerOnboarded? record;
            try
            {
                problem = Verify(request, origin, out record);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
            {
                // A certificate crafted to upset the platform's parser: a refusal like any other, not a restart.
                problem = $"onboard certificate cannot be checked: {e.Message}";
                record = null;
            }

            if (problem is null && _revoked.ContainsKey(record!.Fingerprint))
                problem = $"certificate {record.Fingerprint[..16]}… was removed from this bridge; onboarding needs a new certificate from the server";
            if (problem is not null)
            {
                Refuse(origin, problem);
                continue;
            }

            _onboarded++;
            if (_peers.TryGetValue(origin, out var known) && known.Record.Fingerprint == record!.Fingerprint && known.Record.Uid == record.Uid &&
                known.Record.Realms.SequenceEqual(record.Realms))
                continue; // a repeat of what is recorded (peers resend now and then for bridges that come later)
            Persist(record!, onboarded =>
            {
                Apply(onboarded);
                _log.Info("Bridge: mesh node {0} onboarded as {1} ({2}), until {3:u}", origin.Short, onboarded.Uid, onboarded.Subject, onboarded.NotAfter);
            });
        }
    }

    /// <summary>Null when <paramref name="request"/> onboards <paramref name="origin"/>; else why not.</summary>
    private string? Verify(OnboardRequest request, NodeId origin, out PeerOnboarded? record)
    {
        record = null;
        if (request.Node != origin) return $"onboard for node {request.Node.Short} came from node {origin.Short}";
        var now = Now;
        var skew = request.Time.UtcDateTime - now;
        if (skew.Duration() > _settings.ClockSkew)
            return $"onboard time {request.Time:u} is {skew.Duration().TotalMinutes:0} min from the bridge's clock (at most {_settings.ClockSkew.TotalMinutes:0} min)";

        X509Certificate2 leaf;
        IReadOnlyList<X509Certificate2> intermediates;
        try
        {
            leaf = request.LoadLeaf();
            intermediates = request.LoadIntermediates();
        }
        catch (BridgeMessageException e)
        {
            return e.Message;
        }

        if (!CertificateSignature.Verify(leaf, request.SignedBytes(), request.Signature))
            return $"onboard signature does not verify with the key of {leaf.Subject}";
        var realms = new List<BridgeRealm>();
        string? chainProblem = null;
        foreach (var server in _trust.Where(static s => s.Authorities.Count > 0))
        {
            var problem = ServerCertificateChain.Problems(leaf, intermediates, server.Authorities, ServerCertificateChain.ClientAuthentication);
            if (problem is null) realms.Add(server.Realm);
            else chainProblem ??= problem;
        }

        if (realms.Count == 0)
            return _trust.Any(static s => s.Authorities.Count > 0)
                ? $"certificate {leaf.Subject} is not a client certificate of a CA trusted for a bridged server: {chainProblem}"
                : "this bridge has no TLS server whose CA could onboard a peer";
        if (_peers.Values.FirstOrDefault(p => p.Record.Uid == request.Uid && p.Node != origin && p.Record.Subject != leaf.Subject) is { } holder)
            return $"uid {request.Uid} is onboarded by another user ({holder.Record.Subject}); remove that peer first";
        if (!_peers.ContainsKey(origin) && _peers.Count >= _settings.MaxPeers) return $"the bridge already has {_settings.MaxPeers} onboarded peers";

        record = new PeerOnboarded(
            origin.ToString(),
            request.Uid,
            leaf.Subject,
            Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)),
            leaf.NotAfter.ToUniversalTime(),
            leaf.RawData,
            realms.Distinct().Select(static r => r.ToString()).ToArray(),
            now);
        return null;
    }

    private void Refuse(NodeId origin, string why)
    {
        _onboardRefused++;
        _lastRefusal = $"node {origin.Short}: {why}";
        _log.Warning("Bridge: onboard from mesh node {0} refused: {1}", origin.Short, why);
    }

    private void Apply(PeerOnboarded onboarded)
    {
        var node = NodeId.Parse(onboarded.Node);
        var realms = onboarded.Realms.Select(static r => new BridgeRealm(Convert.ToUInt64(r, 16))).ToHashSet();
        // A renewed certificate is the same peer: its traffic counts carry on.
        var traffic = _peers.TryGetValue(node, out var known) ? known.Traffic : new PeerTraffic();
        _peers[node] = new Peer(node, onboarded, X509CertificateLoader.LoadCertificate(onboarded.Certificate), realms, traffic);
    }

    private void Apply(PeerRemoved removed) => _peers.Remove(NodeId.Parse(removed.Node));

    private void Apply(PeerRevoked revoked)
    {
        _peers.Remove(NodeId.Parse(revoked.Node));
        _revoked[revoked.Fingerprint] = revoked.NotAfter;
    }

    private void Remove(RemoveOnboardedPeer remove)
    {
        NodeId node;
        try
        {
            node = NodeId.Parse(remove.Node);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            Sender.Tell(new PeerRemovedFromBridge(remove.Node, false));
            return;
        }

        if (!_peers.ContainsKey(node))
        {
            Sender.Tell(new PeerRemovedFromBridge(remove.Node, false));
            return;
        }

        var replyTo = Sender;
        var record = _peers[node].Record;
        Persist(new PeerRevoked(node.ToString(), record.Fingerprint, record.NotAfter), revoked =>
        {
            Apply(revoked);
            _log.Info("Bridge: mesh node {0} ({1}) removed; its certificate {2} cannot onboard again", node.Short, record.Uid, record.Fingerprint);
            replyTo.Tell(new PeerRemovedFromBridge(remove.Node, true));
        });
    }

    // ---- mesh → server ----------------------------------------------------------------------------------------

    private void Up(MeshEnvelope envelope)
    {
        CotEvent evt;
        try
        {
            evt = TakMessageConverter.Decode(envelope.Payload.Span);
        }
        catch (CotFormatException)
        {
            return; // DeviceRoot logs it
        }

        var now = Now;
        var seen = _recent.Get(evt.Uid, evt.Time, now);
        _recent.Add(evt.Uid, evt.Time, RecentCot.Seen.FromMesh, now);
        if (BridgeFlowTag.IsTagged(evt))
        {
            _echoes++; // a server event another bridge sent into the mesh
            return;
        }

        if (!_peers.TryGetValue(envelope.Origin, out var peer) || peer.Record.NotAfter <= now)
        {
            _notOnboarded++;
            return;
        }

        if (!EnvelopeSignature.Verify(envelope, peer.Certificate))
        {
            _badSignature++;
            peer.Traffic.Refused++;
            _log.Warning("Bridge: CoT {0} with origin {1} is not signed by that peer's key; kept in the mesh", evt.Uid, envelope.Origin.Short);
            return;
        }

        if (!Owns(peer.Record.Uid, evt))
        {
            _foreignUid++;
            peer.Traffic.Refused++;
            return;
        }

        if ((seen & (RecentCot.Seen.Uploaded | RecentCot.Seen.Held | RecentCot.Seen.Injected)) != 0)
        {
            _echoes++; // the server has it already
            return;
        }

        var targets = _trust.Where(s => peer.Realms.Contains(s.Realm)).ToList();
        var active = targets.Where(s => IsActive(s.Realm, now)).ToList();
        if (active.Count == 0)
        {
            _standby++;
            return;
        }

        foreach (var server in active) Link(server.Name).Tell(new ServerLinkProtocol.SendToServer(evt));
        _recent.Add(evt.Uid, evt.Time, RecentCot.Seen.Uploaded, now);
        _uploaded++;
        peer.Traffic.Uploaded++;
    }

    /// <summary>Its own events, and markers, chat and the like it is the parent of (<c>link relation="p-p"</c>).</summary>
    private static bool Owns(string uid, CotEvent evt) =>
        evt.Uid == uid || evt.Detail.Links.Any(l => l.Uid == uid && l.Relation == "p-p");

    private ActorSelection Link(string server) => Context.ActorSelection(_servers.Path / (LinkPrefix + server));

    // ---- server → mesh ----------------------------------------------------------------------------------------

    private void FromServer(CotEvent evt, string source)
    {
        var now = Now;
        if (BridgeFlowTag.IsTagged(evt) || _recent.Get(evt.Uid, evt.Time, now) != RecentCot.Seen.None)
        {
            _echoes++;
            return;
        }

        var name = source.StartsWith(ServerSourcePrefix, StringComparison.Ordinal) ? source[ServerSourcePrefix.Length..] : source;
        var realm = _trust.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))?.Realm;
        if (realm is { } known && !IsActive(known, now))
        {
            _standby++;
            return;
        }

        _recent.Add(evt.Uid, evt.Time, RecentCot.Seen.Held, now);
        Timers.StartSingleTimer(("hold", evt.Uid, evt.Time.ToUniversalTime().Ticks / TimeSpan.TicksPerMillisecond), new Release(evt, realm), _settings.DownHold);
    }

    private void Inject(Release release)
    {
        var now = Now;
        var evt = release.Event;
        if ((_recent.Get(evt.Uid, evt.Time, now) & (RecentCot.Seen.FromMesh | RecentCot.Seen.Uploaded | RecentCot.Seen.Injected)) != 0)
        {
            _echoes++; // it came through the mesh while it waited
            return;
        }

        if (release.Realm is { } realm && !IsActive(realm, now))
        {
            _standby++;
            return;
        }

        var tagged = BridgeFlowTag.Tag(evt, _settings.Node, now);
        _mesh.Tell(new SendToMesh(MeshMessageKind.Cot, TakMessageConverter.ToTakMessage(tagged).ToByteArray()));
        _recent.Add(evt.Uid, evt.Time, RecentCot.Seen.Injected, now);
        _injected++;
    }

    // ---- several bridges --------------------------------------------------------------------------------------

    /// <summary>
    /// Active unless a live bridge with a lower node id announces the same realm: one bridge per server forwards, the
    /// others stand by and take over when it has not been heard for <see cref="BridgeSettings.Liveness"/>.
    /// </summary>
    private bool IsActive(BridgeRealm realm, DateTime now) =>
        !_bridges.Any(b => now - b.Value.LastHeard <= _settings.Liveness && Lower(b.Key, _settings.Node) && b.Value.Realms.Contains(realm));

    private static bool Lower(NodeId a, NodeId b) => a.High < b.High || (a.High == b.High && a.Low < b.Low);

    private void Heard(NodeId origin, BridgeAnnouncement announcement)
    {
        var now = Now;
        var isNew = !_bridges.TryGetValue(origin, out var known) || now - known.LastHeard > _settings.Liveness;
        _bridges[origin] = (announcement.Realms, now);
        if (isNew)
        {
            _log.Info("Bridge: another bridge {0} on the mesh ({1} server(s))", origin.Short, announcement.Realms.Count);
            // Answer a newcomer at once, so both know each other without waiting a whole period.
            Announce();
        }
    }

    private void Announce()
    {
        var realms = _trust.Select(static s => s.Realm).Distinct().Take(BridgeAnnouncement.MaxRealms).ToArray();
        if (realms.Length == 0 || _mesh.IsNobody()) return;
        _mesh.Tell(new SendToMesh(MeshMessageKind.Control, new BridgeAnnouncement(realms).ToBytes()));
        _lastAnnounced = Now;
    }

    private void OnTick()
    {
        var now = Now;
        foreach (var stale in _bridges.Where(b => now - b.Value.LastHeard > _settings.Liveness).Select(static b => b.Key).ToList()) _bridges.Remove(stale);
        foreach (var spent in _revoked.Where(r => r.Value <= now).Select(static r => r.Key).ToList()) _revoked.Remove(spent);
        var expired = _peers.Values.Where(p => p.Record.NotAfter <= now).ToList();
        if (expired.Count > 0) PersistAll(expired.Select(p => new PeerRemoved(p.Node.ToString(), "certificate expired")), Apply);
        RefreshTrust();
        if (now - _lastAnnounced >= _settings.AnnounceInterval / 2) Announce();
    }

    // ---- server trust -----------------------------------------------------------------------------------------

    private void RefreshTrust()
    {
        if (_trustLoading) return;
        _trustLoading = true;
        var servers = _servers;
        var credentials = _credentials;
        LoadAsync().PipeTo(Self, success: loaded => loaded, failure: e => new TrustLoaded(null, e.Message));

        async Task<TrustLoaded> LoadAsync()
        {
            if (servers.IsNobody()) return new TrustLoaded([], null);
            var list = await servers.Ask<ServersProtocol.ServerList>(ServersProtocol.ListServers.Instance, ListTimeout);
            return new TrustLoaded(await BridgeTrust.LoadAsync(list.Servers.Select(static s => s.Entry), credentials), null);
        }
    }

    private void Loaded(TrustLoaded loaded)
    {
        _trustLoading = false;
        _trustLoadedAt = Now;
        if (loaded.Servers is { } servers) _trust = servers;
        else _log.Warning("Bridge: the configured servers could not be read ({0}); keeping the last known", loaded.Problem);
        VerifyPending();
        if (_announcedOnce) return;
        _announcedOnce = _trust.Count > 0;
        Announce();
    }

    private BridgeStatus Status()
    {
        var now = Now;
        return new BridgeStatus(
            _settings.Node.ToString(),
            _trust.Select(s => new BridgedServer(s.Name, s.Realm.ToString(), IsActive(s.Realm, now), s.Authorities.Count > 0)).ToArray(),
            _peers.Values.Where(p => p.Record.NotAfter > now).OrderBy(static p => p.Record.Uid, StringComparer.Ordinal)
                .Select(static p => new OnboardedPeer(
                    p.Record.Node, p.Record.Uid, p.Record.Subject, p.Record.Fingerprint, p.Record.NotAfter, p.Record.Realms, p.Traffic.Uploaded, p.Traffic.Refused))
                .ToArray(),
            _bridges.Where(b => now - b.Value.LastHeard <= _settings.Liveness)
                .Select(static b => new OtherBridge(b.Key.ToString(), b.Value.Realms.Select(static r => r.ToString()).ToArray(), b.Value.LastHeard))
                .ToArray(),
            new BridgeCounters(_onboarded, _onboardRefused, _uploaded, _injected, _notOnboarded, _badSignature, _foreignUid, _echoes, _standby),
            _lastRefusal);
    }

    private sealed record Peer(NodeId Node, PeerOnboarded Record, X509Certificate2 Certificate, HashSet<BridgeRealm> Realms, PeerTraffic Traffic);

    /// <summary>Per-peer counts for the status; in memory only, like the bridge's own counters.</summary>
    private sealed class PeerTraffic
    {
        public long Uploaded { get; set; }

        public long Refused { get; set; }
    }

    private sealed record TrustLoaded(IReadOnlyList<BridgeServer>? Servers, string? Problem);

    private sealed record Release(CotEvent Event, BridgeRealm? Realm);

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}
