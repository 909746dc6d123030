using System.Security.Cryptography;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Tests.Mesh;

/// <summary>Relay over a broadcast medium, where one transmission reaches every neighbour in range.</summary>
public class MeshBroadcastTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_line_delivers_everything_to_the_far_end(bool naive)
    {
        var radio = new InMemoryRadio();
        radio.InRange("a", "b");
        radio.InRange("b", "c");
        var nodes = new[] { "a", "b", "c" }.Select(n => Start(radio, n, naive)).ToArray();

        Send(nodes[0], 5);

        foreach (var node in nodes.Skip(1))
        {
            var received = Receive(node, 5);
            Assert.Equal(5, received.Select(e => e.Sequence).Distinct().Count());
        }

        nodes[2].Events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_ring_delivers_everything_once_per_node()
    {
        var radio = new InMemoryRadio();
        var names = new[] { "a", "b", "c", "d", "e" };
        for (var i = 0; i < names.Length; i++) radio.InRange(names[i], names[(i + 1) % names.Length]);
        var nodes = names.Select(n => Start(radio, n, naive: false)).ToArray();

        Send(nodes[0], 4);

        foreach (var node in nodes.Skip(1))
        {
            Assert.Equal(4, Receive(node, 4).Select(e => e.Sequence).Distinct().Count());
            node.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public void In_a_dense_cluster_suppression_transmits_less_than_flooding_and_delivers_as_much()
    {
        var flooding = RunCluster(naive: true);
        var suppressed = RunCluster(naive: false);

        Assert.Equal(flooding.Delivered, suppressed.Delivered);
        Assert.True(suppressed.Transmissions < flooding.Transmissions,
            $"suppression sent {suppressed.Transmissions} frames, flooding {flooding.Transmissions}");
    }

    private (long Transmissions, int Delivered) RunCluster(bool naive)
    {
        const int size = 8;
        const int messages = 10;
        var radio = new InMemoryRadio();
        var names = Enumerable.Range(0, size).Select(i => $"{(naive ? "f" : "s")}{i}").ToArray();
        foreach (var a in names)
        foreach (var b in names)
            if (string.CompareOrdinal(a, b) < 0)
                radio.InRange(a, b);
        var nodes = names.Select(n => Start(radio, n, naive)).ToArray();

        Send(nodes[0], messages);
        var delivered = nodes.Skip(1).Sum(node => Receive(node, messages).Count);
        // Let pending rebroadcast waits run out before counting transmissions.
        AwaitAssert(() =>
        {
            var before = radio.Transmissions;
            nodes[1].Events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
            Assert.Equal(before, radio.Transmissions);
        }, Patience);
        foreach (var node in nodes) Sys.Stop(node.Mesh);
        return (radio.Transmissions, delivered);
    }

    private void Send(Node from, int count)
    {
        for (var i = 0; i < count; i++)
        {
            from.Mesh.Tell(new SendToMesh(MeshMessageKind.Cot, new byte[] { 1, 2, 3, (byte)i }), from.Events.Ref);
            from.Events.ExpectMsg<SentToMesh>();
        }
    }

    private static List<MeshEnvelope> Receive(Node node, int count) =>
        Enumerable.Range(0, count).Select(_ => node.Events.FishForMessage<MeshMessageReceived>(_ => true, Patience).Envelope).ToList();

    private Node Start(InMemoryRadio radio, string name, bool naive)
    {
        var events = CreateTestProbe();
        var settings = new MeshSettings(_keys, NodeId.NewRandom(), "Cyan") { Relay = new RelaySettings { Naive = naive } };
        var mesh = Sys.ActorOf(MeshActor.Props(settings, [radio.Join(name)], events.Ref), name);
        events.ExpectMsg<PeerJoined>(Patience);
        return new Node(mesh, events);
    }

    private sealed record Node(IActorRef Mesh, TestProbe Events);
}
