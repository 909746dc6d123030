using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Tests.Mesh.Stages;

public class RelayTests : TestKit
{
    private const int MaxHops = 3;
    private static readonly NodeId Self = NodeId.NewRandom();
    private static readonly NodeId Origin = NodeId.NewRandom();
    private readonly MeshCounters _counters = new();
    private readonly TestPublisher.Probe<MeshInbound> _inbound;
    private readonly TestSubscriber.Probe<MeshRouting> _routed;
    private uint _markers;

    public RelayTests() =>
        (_inbound, _routed) = this.SourceProbe<MeshInbound>()
            .Via(Relay.Create(Self, MaxHops, _counters))
            .ToMaterialized(this.SinkProbe<MeshRouting>(), Keep.Both)
            .Run(Sys.Materializer());

    [Fact]
    public void The_first_copy_is_delivered_and_forwarded_one_hop_further_to_all_but_its_link()
    {
        var routing = Assert.Single(Route(new MeshInbound(2, Envelope(1, ttl: 3, hops: 0))));

        Assert.Equal(Envelope(1, ttl: 3, hops: 0), routing.Deliver);
        Assert.Equal(Envelope(1, ttl: 2, hops: 1), routing.Forward);
        Assert.Equal([2], routing.Skip);
        Assert.Equal(1, _counters.Snapshot().Delivered - _markers);
        Assert.Equal(1, _counters.Snapshot().Relayed - _markers);
    }

    [Fact]
    public void A_copy_from_another_link_gives_nothing_and_counts_as_a_duplicate()
    {
        var routings = Route(new MeshInbound(2, Envelope(1, ttl: 3, hops: 0)), new MeshInbound(3, Envelope(1, ttl: 2, hops: 1)));

        Assert.Single(routings);
        Assert.Equal(1, _counters.Drops(MeshDropReason.Dedupe));
        Assert.Equal(1, _counters.Snapshot().Delivered - _markers);
    }

    [Fact]
    public void A_ttl_above_the_mission_maximum_is_clamped()
    {
        var routing = Assert.Single(Route(new MeshInbound(2, Envelope(1, ttl: 255, hops: 0))));

        Assert.Equal(MaxHops, routing.Deliver!.Ttl);
        Assert.Equal(MaxHops - 1, routing.Forward!.Ttl);
    }

    [Fact]
    public void Ttl_1_is_delivered_but_not_forwarded()
    {
        var routing = Assert.Single(Route(new MeshInbound(2, Envelope(1, ttl: 1, hops: 2))));

        Assert.Equal(Envelope(1, ttl: 1, hops: 2), routing.Deliver);
        Assert.Null(routing.Forward);
        Assert.Equal(1, _counters.Drops(MeshDropReason.Ttl));
        Assert.Equal(0, _counters.Snapshot().Relayed - _markers);
    }

    [Fact]
    public void Ttl_0_is_dropped()
    {
        Assert.Empty(Route(new MeshInbound(2, Envelope(1, ttl: 0, hops: 3))));

        Assert.Equal(1, _counters.Drops(MeshDropReason.Ttl));
        Assert.Equal(0, _counters.Snapshot().Delivered - _markers);
    }

    [Fact]
    public void Our_own_message_coming_back_is_dropped()
    {
        var own = Envelope(1, ttl: 2, hops: 1) with { Origin = Self };

        Assert.Empty(Route(new MeshInbound(4, own)));

        Assert.Equal(1, _counters.Drops(MeshDropReason.Dedupe));
    }

    [Fact]
    public void A_message_of_this_device_goes_out_with_the_full_ttl_and_no_hops_and_is_not_delivered_back()
    {
        var outgoing = Envelope(5, ttl: MaxHops, hops: 0) with { Origin = Self };

        var routings = Route(new MeshInbound(MeshInbound.LocalLink, outgoing), new MeshInbound(2, outgoing.Relayed()));

        var routing = Assert.Single(routings);
        Assert.Null(routing.Deliver);
        Assert.Equal(outgoing, routing.Forward);
        Assert.Empty(routing.Skip);
        Assert.Equal(1, _counters.Snapshot().Originated);
        Assert.Equal(1, _counters.Drops(MeshDropReason.Dedupe));
    }

    /// <summary>
    /// Sends the elements, then a marker message, and returns what the relay made of the elements: everything it
    /// emitted before the marker's routing. "Nothing" is so seen without waiting for silence.
    /// </summary>
    private List<MeshRouting> Route(params MeshInbound[] inbound)
    {
        var marker = new MeshInbound(99, new MeshEnvelope(MeshMessageKind.Control, NodeId.NewRandom(), 0, 2, 0, ReadOnlyMemory<byte>.Empty));
        _markers++;
        foreach (var element in inbound.Append(marker)) _inbound.SendNext(element);
        var routings = new List<MeshRouting>();
        for (var routing = _routed.RequestNext(); routing.Deliver?.Origin != marker.Envelope.Origin; routing = _routed.RequestNext())
            routings.Add(routing);
        return routings;
    }

    private static MeshEnvelope Envelope(uint sequence, byte ttl, byte hops) =>
        new(MeshMessageKind.Cot, Origin, sequence, ttl, hops, new byte[] { 0xCA, 0xFE });
}
