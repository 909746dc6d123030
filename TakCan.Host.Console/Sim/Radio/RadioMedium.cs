using System.Numerics;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Mesh.Transports;

namespace TakCan.Host.Console.Sim.Radio;

/// <summary>
/// The air between simulated devices (specs/sim-report.md, "Radio"). Positions come from the scenario's motion; the
/// medium decides who hears each frame, loses some, and delivers the rest after the transmitter's airtime and the
/// profile's latency, on the actor system's scheduler (virtual or real time alike). Each node gets an
/// <see cref="IMeshTransport"/>: one broadcast link, or a point-to-point link per neighbour as neighbours appear and
/// vanish. In virtual time every call comes from the simulation's one thread; in real time stream stages and timers
/// call from several, so everything that touches the medium's state holds <see cref="Gate"/>.
/// </summary>
public sealed class RadioMedium
{
    private readonly RadioProfile _profile;
    private readonly IScheduler _scheduler;
    private readonly Random _random;
    private readonly NodeRadio[] _nodes;
    private readonly Vector2[] _positions;
    private readonly bool[] _up;
    private readonly Dictionary<(int, int), PointToPointLink> _links = new();
    private int[][] _neighbours;
    private bool _stale;

    public RadioMedium(RadioProfile profile, IScheduler scheduler, int seed, IReadOnlyList<Vector2> positions, object? gate = null)
    {
        Gate = gate ?? new object();
        _profile = profile;
        _scheduler = scheduler;
        _random = new Random(seed);
        _positions = positions.ToArray();
        _nodes = Enumerable.Range(0, _positions.Length).Select(i => new NodeRadio(i)).ToArray();
        _up = new bool[_positions.Length];
        _neighbours = new int[_positions.Length][];
        for (var i = 0; i < _neighbours.Length; i++) _neighbours[i] = [];
    }

    public RadioProfile Profile => _profile;

    /// <summary>The lock over the medium's state (shared with the rest of the simulation in real time).</summary>
    public object Gate { get; }

    public RadioCounters Counters { get; } = new();

    public IReadOnlyList<Vector2> Positions => _positions;

    /// <summary>Goes up whenever who is in range of whom may have changed (a node moved, switched on or off).</summary>
    public long Version { get; private set; }

    /// <summary>Neighbours in range of <paramref name="node"/> now (both up).</summary>
    public IReadOnlyList<int> NeighboursOf(int node)
    {
        lock (Gate) return Neighbours[node];
    }

    /// <summary>Neighbour lists, recomputed when a node moved, switched on or off since the last look (a thousand
    /// devices switching on one by one must not cost a thousand recomputations).</summary>
    private int[][] Neighbours
    {
        get
        {
            if (_stale) Recompute();
            return _neighbours;
        }
    }

    /// <summary>
    /// Switches a node's radio on: the transport its mesh runs on. A node switched off and on again (a crash and a
    /// restart) gets a new transport; frames in flight to the old one are lost.
    /// </summary>
    public IMeshTransport Attach(int node)
    {
        lock (Gate) return AttachLocked(node);
    }

    private IMeshTransport AttachLocked(int node)
    {
        var radio = _nodes[node];
        radio.Generation++;
        _up[node] = true;
        radio.Offers = null;
        radio.PendingOffers.Clear();
        var transport = _profile.Medium == MeshMedium.Broadcast ? BroadcastTransport(radio) : PointToPointTransport(radio);
        Invalidate();
        return transport;
    }

    /// <summary>Switches a node's radio off (crash): it neither sends nor hears, and its point-to-point links end.</summary>
    public void Detach(int node)
    {
        lock (Gate)
        {
            _up[node] = false;
            _nodes[node].Generation++;
            _nodes[node].Inbound = null;
            Invalidate();
        }
    }

    /// <summary>New positions (metres): neighbours are recomputed, point-to-point links open and close.</summary>
    public void Move(IReadOnlyList<Vector2> positions)
    {
        lock (Gate)
        {
            for (var i = 0; i < _positions.Length; i++) _positions[i] = positions[i];
            Invalidate();
        }
    }

    /// <summary>Point-to-point links open and close at once; broadcast neighbours are looked up when next needed.</summary>
    private void Invalidate()
    {
        Version++;
        _stale = true;
        if (_profile.Medium == MeshMedium.PointToPoint) Recompute();
    }

    private void Recompute()
    {
        _stale = false;
        _neighbours = SpatialIndex.Neighbours(_positions, _up, _profile.RangeM);
        if (_profile.Medium != MeshMedium.PointToPoint) return;
        var wanted = new HashSet<(int, int)>();
        for (var i = 0; i < _neighbours.Length; i++)
            foreach (var j in _neighbours[i])
                if (i < j) wanted.Add((i, j));
        foreach (var (pair, link) in _links.ToArray())
        {
            if (wanted.Contains(pair) && link.Generations == (_nodes[pair.Item1].Generation, _nodes[pair.Item2].Generation)) continue;
            link.Close();
            _links.Remove(pair);
        }

        foreach (var pair in wanted.Order())
            if (!_links.ContainsKey(pair))
                _links[pair] = Open(pair.Item1, pair.Item2);
    }

    private IMeshTransport BroadcastTransport(NodeRadio radio)
    {
        var generation = radio.Generation;
        var node = radio.Index;
        // An actor source, not a queue: no promise per frame, and frames are what the radio hands out most.
        var inbound = Source.ActorRef<byte[]>(4096, OverflowStrategy.DropHead)
            .MapMaterializedValue(actor =>
            {
                lock (Gate)
                    if (radio.Generation == generation)
                        radio.Inbound = actor;
                return NotUsed.Instance;
            });
        var outbound = Sink.ForEach<byte[]>(frame =>
        {
            lock (Gate)
                if (radio.Generation == generation && _up[node])
                    Broadcast(node, frame);
        }).MapMaterializedValue(_ => NotUsed.Instance);
        var offer = new MeshLinkOffer("radio", $"radio {_profile.Name}", MeshMedium.Broadcast, _profile.Mtu, Flow.FromSinkAndSource(outbound, inbound));
        return new Transport(Source.Single(offer).Concat(Source.Never<MeshLinkOffer>()));
    }

    private IMeshTransport PointToPointTransport(NodeRadio radio)
    {
        var generation = radio.Generation;
        var offers = Source.Queue<MeshLinkOffer>(1024, OverflowStrategy.DropHead)
            .MapMaterializedValue(queue =>
            {
                lock (Gate)
                {
                    if (radio.Generation != generation) return NotUsed.Instance;
                    radio.Offers = queue;
                    foreach (var pending in radio.PendingOffers) queue.OfferAsync(pending);
                    radio.PendingOffers.Clear();
                }

                return NotUsed.Instance;
            });
        return new Transport(offers);
    }

    private PointToPointLink Open(int a, int b)
    {
        var link = new PointToPointLink((_nodes[a].Generation, _nodes[b].Generation));
        Offer(a, b, link, 0);
        Offer(b, a, link, 1);
        return link;
    }

    private void Offer(int self, int peer, PointToPointLink link, int side)
    {
        var inbound = Source.Queue<byte[]>(1024, OverflowStrategy.DropHead)
            .MapMaterializedValue(queue =>
            {
                lock (Gate)
                {
                    link.Ends[side] = queue;
                    if (link.Closed) queue.Complete();
                }

                return NotUsed.Instance;
            });
        var outbound = Sink.ForEach<byte[]>(frame =>
        {
            lock (Gate)
                if (!link.Closed)
                    Unicast(self, link, 1 - side, frame);
        }).MapMaterializedValue(_ => NotUsed.Instance);
        var offer = new MeshLinkOffer("radio", $"radio {_profile.Name} to node {peer}", MeshMedium.PointToPoint, _profile.Mtu,
            Flow.FromSinkAndSource(outbound, inbound));
        var radio = _nodes[self];
        if (radio.Offers is { } queue) queue.OfferAsync(offer);
        else radio.PendingOffers.Add(offer);
    }

    private void Broadcast(int from, byte[] frame)
    {
        if (!TryOccupy(from, frame, out var arrival)) return;
        var neighbours = Neighbours[from];
        var receivers = new List<int>(neighbours.Length);
        foreach (var neighbour in neighbours)
        {
            if (Lost()) Counters.FrameLost();
            else receivers.Add(neighbour);
        }

        if (receivers.Count == 0) return;
        var generations = receivers.Select(r => _nodes[r].Generation).ToArray();
        _scheduler.Advanced.ScheduleOnce(arrival, () =>
        {
            lock (Gate)
            {
                for (var k = 0; k < receivers.Count; k++)
                {
                    var radio = _nodes[receivers[k]];
                    if (radio.Generation != generations[k] || radio.Inbound is not { } inbound) continue;
                    Counters.FrameHeard();
                    inbound.Tell(frame, ActorRefs.NoSender);
                }
            }
        });
    }

    private void Unicast(int from, PointToPointLink link, int end, byte[] frame)
    {
        if (!TryOccupy(from, frame, out var arrival)) return;
        if (Lost())
        {
            Counters.FrameLost();
            return;
        }

        _scheduler.Advanced.ScheduleOnce(arrival, () =>
        {
            lock (Gate)
            {
                if (link.Closed || link.Ends[end] is not { } queue) return;
                Counters.FrameHeard();
                queue.OfferAsync(frame);
            }
        });
    }

    /// <summary>Queues the frame on the sender's transmitter: it goes on air when the frames before it are out.</summary>
    private bool TryOccupy(int from, byte[] frame, out TimeSpan arrival)
    {
        var radio = _nodes[from];
        var now = _scheduler.MonotonicClock;
        var start = radio.BusyUntil > now ? radio.BusyUntil : now;
        arrival = TimeSpan.Zero;
        if ((start - now).TotalMilliseconds > _profile.MaxBacklogMs)
        {
            Counters.Backlogged();
            return false;
        }

        var airtime = _profile.Airtime(frame.Length);
        radio.BusyUntil = start + airtime;
        Counters.Transmitted(frame, airtime);
        arrival = radio.BusyUntil - now + TimeSpan.FromMilliseconds(_profile.LatencyMs);
        return true;
    }

    private bool Lost() => _profile.Loss > 0 && _random.NextDouble() < _profile.Loss;

    private sealed class NodeRadio(int index)
    {
        public int Index { get; } = index;

        public int Generation { get; set; }

        public TimeSpan BusyUntil { get; set; }

        public IActorRef? Inbound { get; set; }

        public ISourceQueueWithComplete<MeshLinkOffer>? Offers { get; set; }

        public List<MeshLinkOffer> PendingOffers { get; } = new();
    }

    private sealed class PointToPointLink((int, int) generations)
    {
        public (int, int) Generations { get; } = generations;

        public ISourceQueueWithComplete<byte[]>?[] Ends { get; } = new ISourceQueueWithComplete<byte[]>?[2];

        public bool Closed { get; private set; }

        public void Close()
        {
            Closed = true;
            foreach (var end in Ends) end?.Complete();
        }
    }

    private sealed class Transport(Source<MeshLinkOffer, NotUsed> links) : IMeshTransport
    {
        public string Name => "radio";

        public Source<MeshLinkOffer, NotUsed> Links { get; } = links;

        public void Dispose()
        {
        }
    }
}
