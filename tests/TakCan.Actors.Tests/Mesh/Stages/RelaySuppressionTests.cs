using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Tests.Mesh.Stages;

/// <summary>
/// The broadcast rebroadcast (specs/mesh.md, "Relay and suppression") on a virtual clock: which copies heard while
/// waiting cancel it, and when a copy that came a shorter way is relayed again.
/// </summary>
public class RelaySuppressionTests : TestKit
{
    private static readonly NodeId Origin = NodeId.NewRandom();
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly TestPublisher.Probe<MeshInbound> _inbound;
    private readonly TestSubscriber.Probe<MeshRouting> _routed;

    public RelaySuppressionTests() : base("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
    {
        var settings = RelaySettings.Default with { BroadcastWindow = Window, Random = new Random(3), OriginRingSuppressAfterDuplicates = 9 };
        (_inbound, _routed) = this.SourceProbe<MeshInbound>()
            .Via(Relay.Create(NodeId.NewRandom(), 5, new MeshCounters(), settings, hasBroadcastLinks: () => true))
            .ToMaterialized(this.SinkProbe<MeshRouting>(), Keep.Both)
            .Run(Sys.Materializer());
        _routed.Request(100);
    }

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public void Copies_from_nearer_the_origin_do_not_cancel_the_rebroadcast()
    {
        Receive(Envelope(ttl: 4, hops: 1));
        Assert.Equal(RoutingMedia.PointToPoint, Assert.Single(_pending).Media);

        // Copies relayed at our own depth (hops 1, as ours came): they say nothing of the neighbours beyond us.
        Receive(Envelope(ttl: 4, hops: 1), Envelope(ttl: 4, hops: 1), Envelope(ttl: 4, hops: 1));
        Clock.Advance(Window * 2);

        var rebroadcast = _routed.ExpectNext();
        Assert.Equal(RoutingMedia.Broadcast, rebroadcast.Media);
        Assert.Equal(3, rebroadcast.Forward!.Ttl);
    }

    [Fact]
    public void Three_copies_relayed_as_far_as_ours_cancel_it()
    {
        Receive(Envelope(ttl: 4, hops: 1));
        Assert.Single(_pending);

        Receive(Envelope(ttl: 3, hops: 2), Envelope(ttl: 3, hops: 2), Envelope(ttl: 2, hops: 3));
        Clock.Advance(Window * 2);

        _routed.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void The_origins_own_neighbours_can_hold_out_for_more_copies()
    {
        Receive(Envelope(ttl: 5, hops: 0));
        Assert.Single(_pending);

        Receive(Envelope(ttl: 4, hops: 1), Envelope(ttl: 4, hops: 1), Envelope(ttl: 4, hops: 1));
        Clock.Advance(Window * 2);
        Assert.Equal(RoutingMedia.Broadcast, _routed.ExpectNext().Media);
    }

    [Fact]
    public void Their_own_threshold_cancels_next_to_the_origin()
    {
        Receive(Envelope(ttl: 5, hops: 0));
        Receive(Enumerable.Repeat(Envelope(ttl: 4, hops: 1), 9).ToArray());
        Clock.Advance(Window * 2);

        _routed.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_copy_that_came_a_shorter_way_is_relayed_again_with_the_ttl_it_brought()
    {
        // First heard at the end of its ttl: delivered, not relayed.
        Receive(Envelope(ttl: 1, hops: 4));
        Assert.Null(Assert.Single(_pending).Forward);

        Receive(Envelope(ttl: 4, hops: 1));
        Clock.Advance(Window * 2);

        var rebroadcast = _routed.ExpectNext();
        Assert.Null(rebroadcast.Deliver);
        Assert.Equal(RoutingMedia.Broadcast, rebroadcast.Media);
        Assert.Equal((3, 2), (rebroadcast.Forward!.Ttl, rebroadcast.Forward.Hops));

        // The same copy again (or a worse one) does not start it over.
        Receive(Envelope(ttl: 4, hops: 1), Envelope(ttl: 2, hops: 3));
        Clock.Advance(Window * 2);
        _routed.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Sends the copies, then a marker at the end of its ttl (no timer of its own), and waits for the marker's
    /// delivery: every copy has then been through the stage before the clock moves.</summary>
    private void Receive(params MeshEnvelope[] envelopes)
    {
        var marker = new MeshEnvelope(MeshMessageKind.Control, NodeId.NewRandom(), 1, 1, 0, ReadOnlyMemory<byte>.Empty);
        foreach (var envelope in envelopes.Append(marker)) _inbound.SendNext(new MeshInbound(1, envelope));
        var routings = new List<MeshRouting>();
        for (var routing = _routed.ExpectNext(); routing.Deliver?.Origin != marker.Origin; routing = _routed.ExpectNext()) routings.Add(routing);
        _pending.AddRange(routings);
    }

    private readonly List<MeshRouting> _pending = new();

    private static MeshEnvelope Envelope(byte ttl, byte hops) => new(MeshMessageKind.Cot, Origin, 7, ttl, hops, new byte[] { 0xCA, 0xFE });
}
