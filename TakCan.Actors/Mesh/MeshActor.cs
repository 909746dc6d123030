using System.Collections.Concurrent;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Mesh.Stages;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh.Envelopes;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Mesh;

/// <summary>
/// The mesh of one device: owns the relay graph (all links' inbound envelopes → dedupe and TTL relay → local
/// delivery and forwarding) and the link registry, with a <see cref="PeerActor"/> per neighbour.
/// </summary>
/// <remarks>
/// Supervision: a peer whose link fails is stopped, not restarted. A link's state (session keys, counters,
/// reassembly) is worthless after a failure, and the transport offers the neighbour again (static peers after a
/// delay, discovered ones at the next beacon), which runs a fresh handshake.
/// </remarks>
public sealed class MeshActor : ReceiveActor
{
    private readonly MeshSettings _settings;
    private readonly IReadOnlyList<IMeshTransport> _transports;
    private readonly IActorRef _subscriber;
    private readonly ConcurrentDictionary<int, ISourceQueueWithComplete<MeshEnvelope>> _up = new();
    private readonly ConcurrentDictionary<int, ISourceQueueWithComplete<MeshEnvelope>> _broadcast = new();
    private readonly Dictionary<IActorRef, MeshLinkStatus> _peers = new();
    private readonly MeshCounters _counters;
    private Sink<MeshInbound, Akka.NotUsed>? _relay;
    private ISourceQueueWithComplete<MeshInbound>? _local;
    private uint _sequence = (uint)RandomNumberGenerator.GetInt32(int.MaxValue);
    private int _nextLink = MeshInbound.LocalLink + 1;
    private OriginSigner? _signer;

    public MeshActor(MeshSettings settings, IReadOnlyList<IMeshTransport> transports, IActorRef subscriber, MeshCounters? counters = null)
    {
        _settings = settings;
        _transports = transports;
        _subscriber = subscriber;
        _counters = counters ?? new MeshCounters();
        _signer = settings.Signer;

        Receive<SendToMesh>(Send);
        Receive<UseOriginSigner>(use => _signer = use.Signer);
        Receive<LinkOffered>(Offered);
        Receive<PeerActor.LinkUp>(Up);
        Receive<Terminated>(Left);
        Receive<GetMeshStatus>(_ => Sender.Tell(new MeshStatus(_peers.Values.OrderBy(p => p.Link).ToArray(), _counters.Snapshot())));
    }

    public static Props Props(MeshSettings settings, IReadOnlyList<IMeshTransport> transports, IActorRef subscriber, MeshCounters? counters = null) =>
        Akka.Actor.Props.Create(() => new MeshActor(settings, transports, subscriber, counters));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        var materializer = Context.Materializer();
        _relay = MergeHub.Source<MeshInbound>(perProducerBufferSize: 16)
            .Via(Relay.Create(_settings.Node, _settings.MaxHops, _counters, _settings.Relay, () => !_broadcast.IsEmpty))
            .To(Sink.ForEach<MeshRouting>(Route))
            .Run(materializer);
        _local = Source.Queue<MeshInbound>(1024, OverflowStrategy.DropHead).To(_relay).Run(materializer);
        var self = Self;
        foreach (var transport in _transports)
            transport.Links.RunForeach(offer => self.Tell(new LinkOffered(offer)), materializer);
    }

    protected override void PostStop()
    {
        _local?.Complete();
        foreach (var transport in _transports) transport.Dispose();
    }

    // Runs on the relay stream, not in the actor: only the concurrent registry and Tell are used here.
    private void Route(MeshRouting routing)
    {
        if (routing.Deliver is { } delivered) _subscriber.Tell(new MeshMessageReceived(delivered));
        if (routing.Forward is not { } forward) return;
        if (routing.Media != RoutingMedia.Broadcast) Offer(_up, forward, routing.Skip);
        // On a broadcast medium the message goes back out on the link it came in on: that is how it reaches the
        // neighbours the previous sender could not.
        if (routing.Media != RoutingMedia.PointToPoint) Offer(_broadcast, forward, []);
    }

    private static void Offer(ConcurrentDictionary<int, ISourceQueueWithComplete<MeshEnvelope>> links, MeshEnvelope envelope, IReadOnlyList<int> skip)
    {
        foreach (var (link, queue) in links)
            if (!skip.Contains(link))
                queue.OfferAsync(envelope);
    }

    private void Send(SendToMesh command)
    {
        var sequence = unchecked(++_sequence);
        var envelope = new MeshEnvelope(command.Kind, _settings.Node, sequence, (byte)_settings.MaxHops, 0, command.Payload);
        if (_signer is { } signer) envelope = signer.Sign(envelope);
        _local!.OfferAsync(new MeshInbound(MeshInbound.LocalLink, envelope));
        Sender.Tell(new SentToMesh(sequence));
    }

    private void Offered(LinkOffered offered)
    {
        var link = _nextLink++;
        var peer = Context.ActorOf(PeerActor.Props(link, offered.Offer, _settings, _counters, _relay!), $"peer-{link}");
        Context.Watch(peer);
        _peers[peer] = new MeshLinkStatus(link, offered.Offer.Transport, offered.Offer.Description, false, null);
    }

    private void Up(PeerActor.LinkUp up)
    {
        (up.Medium == MeshMedium.Broadcast ? _broadcast : _up)[up.Link] = up.Outbound;
        if (!_peers.TryGetValue(Sender, out var status)) return;
        _peers[Sender] = status with { Up = true, Peer = up.Peer };
        _subscriber.Tell(new PeerJoined(up.Link, status.Transport, status.Description, up.Peer));
    }

    private void Left(Terminated terminated)
    {
        if (!_peers.Remove(terminated.ActorRef, out var status)) return;
        _up.TryRemove(status.Link, out _);
        _broadcast.TryRemove(status.Link, out _);
        if (status.Up) _subscriber.Tell(new PeerLeft(status.Link, status.Description));
    }
}
