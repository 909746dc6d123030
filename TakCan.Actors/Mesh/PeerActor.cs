using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Mesh.Stages;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh;

/// <summary>
/// One neighbour: owns the link's pipeline (envelope, seal, fragment over the transport's connection), tells the
/// mesh when the neighbour has authenticated, and stops when the link ends.
/// </summary>
public sealed class PeerActor : ReceiveActor
{
    private readonly int _link;
    private readonly MeshLinkOffer _offer;
    private readonly MeshSettings _settings;
    private readonly MeshCounters _counters;
    private readonly Sink<MeshInbound, Akka.NotUsed> _relay;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ISourceQueueWithComplete<MeshEnvelope>? _outbound;

    public PeerActor(int link, MeshLinkOffer offer, MeshSettings settings, MeshCounters counters, Sink<MeshInbound, Akka.NotUsed> relay)
    {
        _link = link;
        _offer = offer;
        _settings = settings;
        _counters = counters;
        _relay = relay;
        Receive<Authenticated>(a => Context.Parent.Tell(new LinkUp(_link, a.Peer, _outbound!, _offer.Medium)));
        Receive<Ended>(ended =>
        {
            if (ended.Cause is MeshLinkClosedException closed) _log.Info("Mesh link {0} ({1}) closed: {2}", _link, _offer.Description, closed.Message);
            else if (ended.Cause is not null) _log.Warning("Mesh link {0} ({1}) failed: {2}", _link, _offer.Description, ended.Cause.Message);
            Context.Stop(Self);
        });
    }

    public static Props Props(int link, MeshLinkOffer offer, MeshSettings settings, MeshCounters counters, Sink<MeshInbound, Akka.NotUsed> relay) =>
        Akka.Actor.Props.Create(() => new PeerActor(link, offer, settings, counters, relay));

    protected override void PreStart()
    {
        var self = Self;
        var stack = MeshLinkStack.Create(_settings, _offer.Medium, _offer.Mtu, _counters, peer => self.Tell(new Authenticated(peer)));
        var link = _link;
        var (queue, done) = Source.Queue<MeshEnvelope>(_settings.LinkQueueSize, OverflowStrategy.DropHead)
            .Via(stack.Join(_offer.Connection))
            .Select(envelope => new MeshInbound(link, envelope))
            .WatchTermination(Keep.Both)
            // A link that ends (its neighbour went silent, failed the handshake) is routine: it leaves the relay's
            // hub quietly instead of as a failed producer, and its reason is logged here.
            .Via(Flow.Create<MeshInbound>().RecoverWithRetries(_ => Source.Empty<MeshInbound>(), 1))
            .To(_relay)
            .Run(Context.Materializer());
        _outbound = queue;
        done.ContinueWith(ended => self.Tell(new Ended(ended.Exception?.GetBaseException())), TaskScheduler.Default);
        // A broadcast medium has no pairwise handshake: its frames are already bound to the team's group key.
        if (_offer.Medium == MeshMedium.Broadcast) Context.Parent.Tell(new LinkUp(_link, null, queue, MeshMedium.Broadcast));
    }

    protected override void PostStop() => _outbound?.Complete();

    private sealed record Authenticated(MeshPeerInfo Peer);

    /// <summary>The link's pipeline ended; <paramref name="Cause"/> is null when it completed.</summary>
    private sealed record Ended(Exception? Cause);

    /// <summary>To the mesh: the link carries data now; offer envelopes to <paramref name="Outbound"/>.</summary>
    internal sealed record LinkUp(int Link, MeshPeerInfo? Peer, ISourceQueueWithComplete<MeshEnvelope> Outbound, MeshMedium Medium);
}
