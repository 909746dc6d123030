using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Relay;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// Dedupe and TTL relay (specs/mesh.md, "Relay and suppression"). The first copy of a message is delivered once
/// and forwarded with ttl − 1 to every point-to-point link except those that already have it. On broadcast media
/// the rebroadcast waits a short random time and is cancelled when enough other copies were heard meanwhile.
/// Duplicates and spent ttls stop here; an inbound ttl above the mission's maximum is clamped.
/// </summary>
public static class Relay
{
    /// <param name="hasBroadcastLinks">Whether any broadcast link is up (no timers are run for a node without one).</param>
    public static Flow<MeshInbound, MeshRouting, NotUsed> Create(NodeId self, int maxHops, MeshCounters counters, RelaySettings? settings = null,
        Func<bool>? hasBroadcastLinks = null, int dedupeCapacity = DedupeCache.DefaultCapacity, TimeSpan? dedupeRetention = null) =>
        Flow.FromGraph(new Stage(self, maxHops, counters, settings ?? RelaySettings.Default, hasBroadcastLinks ?? (() => false),
            dedupeCapacity, dedupeRetention ?? DedupeCache.DefaultRetention));

    private sealed class Stage(NodeId self, int maxHops, MeshCounters counters, RelaySettings settings, Func<bool> hasBroadcastLinks,
        int dedupeCapacity, TimeSpan dedupeRetention) : GraphStage<FlowShape<MeshInbound, MeshRouting>>
    {
        public NodeId Self { get; } = self;

        public int MaxHops { get; } = maxHops;

        public MeshCounters Counters { get; } = counters;

        public RelaySettings Settings { get; } = settings;

        public Func<bool> HasBroadcastLinks { get; } = hasBroadcastLinks;

        public int DedupeCapacity { get; } = dedupeCapacity;

        public TimeSpan DedupeRetention { get; } = dedupeRetention;

        private readonly Inlet<MeshInbound> _in = new("relay.in");
        private readonly Outlet<MeshRouting> _out = new("relay.out");

        public override FlowShape<MeshInbound, MeshRouting> Shape => new(_in, _out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : TimerGraphStageLogic
        {
            private readonly Stage _stage;
            private readonly DedupeCache _seen;
            private readonly Dictionary<(NodeId, uint), Pending> _pending = new();
            private readonly BestTtl _bestTtl = new(BestTtl.DefaultCapacity);

            public Logic(Stage stage)
                : base(stage.Shape)
            {
                _stage = stage;
                _seen = new DedupeCache(stage.DedupeCapacity, stage.DedupeRetention);
                SetHandler(stage._in, onPush: () =>
                {
                    foreach (var routing in Route(Grab(stage._in))) Emit(stage._out, routing);
                    if (!HasBeenPulled(stage._in)) Pull(stage._in);
                });
                SetHandler(stage._out, onPull: () =>
                {
                    if (!HasBeenPulled(stage._in)) Pull(stage._in);
                });
            }

            private TimeSpan Now => ((ActorMaterializer)Materializer).System.Scheduler.MonotonicClock;

            private IEnumerable<MeshRouting> Route(MeshInbound inbound)
            {
                var counters = _stage.Counters;
                var envelope = inbound.Envelope;
                if (inbound.Link == MeshInbound.LocalLink)
                {
                    _seen.TryAdd(envelope.Origin, envelope.Sequence, MeshInbound.LocalLink, Now, out _);
                    counters.Originated();
                    yield return new MeshRouting(null, envelope with { Ttl = (byte)Math.Clamp((int)envelope.Ttl, 1, _stage.MaxHops), Hops = 0 }, []);
                    yield break;
                }

                if (envelope.Ttl == 0)
                {
                    counters.Drop(MeshDropReason.Ttl);
                    yield break;
                }

                if (envelope.Ttl > _stage.MaxHops) envelope = envelope with { Ttl = (byte)_stage.MaxHops };
                var key = (envelope.Origin, envelope.Sequence);
                if (envelope.Origin == _stage.Self || !_seen.TryAdd(envelope.Origin, envelope.Sequence, inbound.Link, Now, out var heardFrom))
                {
                    counters.Drop(MeshDropReason.Dedupe);
                    if (envelope.Origin == _stage.Self || !BroadcastRelaying) yield break;
                    if (_pending.TryGetValue(key, out var waiting))
                    {
                        if (envelope.Ttl - 1 > waiting.Forward.Ttl)
                        {
                            // A copy that came a shorter way: relay that one instead, it reaches further.
                            waiting.Forward = envelope.Relayed();
                            waiting.Duplicates = 0;
                            _bestTtl.Improve(key, envelope.Ttl);
                        }
                        else if (envelope.Hops >= waiting.Forward.Hops)
                        {
                            // Only a copy relayed as far from the origin as ours would be covers what ours would: copies
                            // from nearer the origin say nothing about the neighbours beyond us (the wavefront must go on).
                            waiting.Duplicates++;
                        }
                    }
                    else if (envelope.Ttl > 1 && _bestTtl.Improve(key, envelope.Ttl))
                    {
                        // We had it by a longer way (too little ttl left, or already relayed with less): the shorter
                        // way's copy carries the message further, so it is relayed once more (specs/mesh.md).
                        StartWaiting(key, envelope.Relayed(), 0);
                    }

                    yield break;
                }

                _bestTtl.Improve(key, envelope.Ttl);

                counters.Delivered();
                if (envelope.Ttl <= 1)
                {
                    counters.Drop(MeshDropReason.Ttl);
                    yield return new MeshRouting(envelope, null, []);
                    yield break;
                }

                var forward = envelope.Relayed();
                var settings = _stage.Settings;
                if (settings.Naive || !_stage.HasBroadcastLinks())
                {
                    counters.Relayed();
                    yield return new MeshRouting(envelope, forward, heardFrom.ToArray());
                    yield break;
                }

                // Point-to-point neighbours get it now; the broadcast rebroadcast waits to hear whether it is needed.
                yield return new MeshRouting(envelope, forward, heardFrom.ToArray(), RoutingMedia.PointToPoint);
                StartWaiting(key, forward, heardFrom.Count);
            }

            private bool BroadcastRelaying => !_stage.Settings.Naive && _stage.HasBroadcastLinks();

            private void StartWaiting((NodeId, uint) key, TakCan.Protocols.Mesh.Envelopes.MeshEnvelope forward, int heardFrom)
            {
                var settings = _stage.Settings;
                _pending[key] = new Pending(forward);
                var window = settings.BroadcastWindow.TotalMilliseconds * (1 + heardFrom / 8.0);
                ScheduleOnce(key, TimeSpan.FromMilliseconds(settings.Random.NextDouble() * window));
            }

            protected override void OnTimer(object timerKey)
            {
                var key = ((NodeId, uint))timerKey;
                if (!_pending.Remove(key, out var pending)) return;
                // The origin's own neighbours hold out longer: a hole next to the origin is a hole for the whole rest of
                // the flood, as nothing behind it can catch up within the hop limit.
                var threshold = pending.Forward.Hops == 1 ? _stage.Settings.OriginRingSuppressAfterDuplicates : _stage.Settings.SuppressAfterDuplicates;
                if (pending.Duplicates >= threshold) return;
                _stage.Counters.Relayed();
                Emit(_stage._out, new MeshRouting(null, pending.Forward, [], RoutingMedia.Broadcast));
            }

            private sealed class Pending(TakCan.Protocols.Mesh.Envelopes.MeshEnvelope forward)
            {
                public TakCan.Protocols.Mesh.Envelopes.MeshEnvelope Forward { get; set; } = forward;

                public int Duplicates { get; set; }
            }
        }
    }
}
