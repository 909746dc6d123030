using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Relay;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// Dedupe and TTL relay (specs/mesh.md, "Relay"): the first copy of a message is delivered once and forwarded
/// with ttl − 1 to every link except those that already have it; duplicates and spent ttls stop here. An inbound
/// ttl above the mission's maximum is clamped, so a forged or misconfigured sender cannot flood further.
/// </summary>
public static class Relay
{
    public static Flow<MeshInbound, MeshRouting, NotUsed> Create(NodeId self, int maxHops, MeshCounters counters, Func<TimeSpan> clock,
        int dedupeCapacity = DedupeCache.DefaultCapacity, TimeSpan? dedupeRetention = null) =>
        Flow.Create<MeshInbound>().StatefulSelectMany<MeshInbound, MeshInbound, MeshRouting, NotUsed>(() =>
        {
            var seen = new DedupeCache(dedupeCapacity, dedupeRetention);
            return (Func<MeshInbound, IEnumerable<MeshRouting>>)(inbound => Route(inbound, seen, self, maxHops, counters, clock()));
        });

    private static IEnumerable<MeshRouting> Route(MeshInbound inbound, DedupeCache seen, NodeId self, int maxHops, MeshCounters counters, TimeSpan now)
    {
        var envelope = inbound.Envelope;
        if (inbound.Link == MeshInbound.LocalLink)
        {
            seen.TryAdd(envelope.Origin, envelope.Sequence, MeshInbound.LocalLink, now, out _);
            counters.Originated();
            return [new MeshRouting(null, envelope with { Ttl = (byte)Math.Clamp((int)envelope.Ttl, 1, maxHops), Hops = 0 }, [])];
        }

        if (envelope.Ttl == 0)
        {
            counters.Drop(MeshDropReason.Ttl);
            return [];
        }

        if (envelope.Ttl > maxHops) envelope = envelope with { Ttl = (byte)maxHops };
        if (envelope.Origin == self || !seen.TryAdd(envelope.Origin, envelope.Sequence, inbound.Link, now, out var heardFrom))
        {
            counters.Drop(MeshDropReason.Dedupe);
            return [];
        }

        counters.Delivered();
        if (envelope.Ttl <= 1)
        {
            counters.Drop(MeshDropReason.Ttl);
            return [new MeshRouting(envelope, null, [])];
        }

        counters.Relayed();
        return [new MeshRouting(envelope, envelope.Relayed(), heardFrom.ToArray())];
    }
}
