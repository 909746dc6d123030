using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Discovery;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Tests.Mesh.Transports;

/// <summary>
/// Nodes with no configured peers find each other through anonymous beacons on a multicast group kept on the
/// loopback interface. Each test uses a group port of its own, so parallel runs do not hear each other.
/// </summary>
public class UdpDiscoveryTests : TestKit
{
    private static readonly IPAddress Group = IPAddress.Parse("239.255.84.67");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
    private readonly IPEndPoint _group = new(Group, 17_000 + Random.Shared.Next(1_000));

    [Fact]
    public void Two_nodes_on_one_group_find_each_other_and_a_message_crosses()
    {
        var a = StartNode(_keys);
        var b = StartNode(_keys);

        var joinedAtA = a.Events.ExpectMsg<PeerJoined>(Patience);
        var joinedAtB = b.Events.ExpectMsg<PeerJoined>(Patience);

        Assert.Equal(b.Id, joinedAtA.Peer?.Node);
        Assert.Equal(a.Id, joinedAtB.Peer?.Node);
        Assert.Equal($"udp {b.Transport.LocalEndPoint}", joinedAtA.Description);
        a.Mesh.Tell(new SendToMesh(MeshMessageKind.Cot, "found you"u8.ToArray()));
        var received = b.Events.ExpectMsg<MeshMessageReceived>(Patience).Envelope;
        Assert.Equal(a.Id, received.Origin);
        Assert.Equal("found you"u8.ToArray(), received.Payload.ToArray());
    }

    [Fact]
    public void A_node_with_another_mission_key_on_the_group_never_links()
    {
        var a = StartNode(_keys);
        var b = StartNode(_keys);
        var stranger = StartNode(new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32))));

        a.Events.ExpectMsg<PeerJoined>(Patience);
        b.Events.ExpectMsg<PeerJoined>(Patience);
        b.Mesh.Tell(new SendToMesh(MeshMessageKind.Cot, "between friends"u8.ToArray()));
        Assert.Equal("between friends"u8.ToArray(), a.Events.ExpectMsg<MeshMessageReceived>(Patience).Envelope.Payload.ToArray());

        // Several beacon rounds each way: the stranger's fail verification, and it cannot verify ours.
        stranger.Events.ExpectNoMsg(TimeSpan.FromMilliseconds(1_500));
        a.Events.ExpectNoMsg(TimeSpan.Zero);
        b.Events.ExpectNoMsg(TimeSpan.Zero);
        var status = Status(stranger);
        Assert.Empty(status.Links);
        Assert.Equal(0, status.Counters.FramesReceived);
        Assert.Single(Status(a).Links);
    }

    [Fact]
    public void A_beacon_carries_neither_node_id_nor_team()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, _group.Port));
        listener.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, IPAddress.Loopback));
        var node = StartNode(_keys, "Dark Blue");

        var beacons = Capture(listener, node.Transport.LocalEndPoint, 2);

        foreach (var beacon in beacons)
        {
            Assert.Equal(MeshBeacon.Size, beacon.Length); // 0x15 ‖ nonce(8) ‖ port(2) ‖ mac(8): no room for anything else
            Assert.Equal(SealedFrame.Beacon, beacon[0]);
            Assert.Equal(node.Transport.LocalEndPoint.Port, beacon[9] << 8 | beacon[10]);
            Assert.True(MeshBeacon.TryVerify(beacon, _keys, out _));
            Assert.False(MeshBeacon.TryVerify(beacon, new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32))), out _));
            var nodeId = node.Id.ToBytes();
            Assert.True(beacon.AsSpan().IndexOf(nodeId.AsSpan(0, 4)) < 0, "no part of the node id");
            Assert.True(beacon.AsSpan().IndexOf("Dark Blue"u8) < 0 && beacon.AsSpan().IndexOf("dark blue"u8) < 0, "no team");
        }

        Assert.False(beacons[0].AsSpan(1, 8).SequenceEqual(beacons[1].AsSpan(1, 8)), "a fresh nonce each time, so beacons cannot be linked");
    }

    private byte[][] Capture(Socket listener, IPEndPoint from, int count)
    {
        var beacons = new List<byte[]>();
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(Patience);
        while (beacons.Count < count)
        {
            EndPoint sender = new IPEndPoint(IPAddress.Any, 0);
            var result = listener.ReceiveFromAsync(buffer, SocketFlags.None, sender, timeout.Token).AsTask().GetAwaiter().GetResult();
            // Only our node's: another test run on this machine may share the group port.
            if (((IPEndPoint)result.RemoteEndPoint).Port == from.Port) beacons.Add(buffer.AsSpan(0, result.ReceivedBytes).ToArray());
        }

        return beacons.ToArray();
    }

    private MeshStatus Status(Node node)
    {
        var probe = CreateTestProbe();
        node.Mesh.Tell(GetMeshStatus.Instance, probe.Ref);
        return probe.ExpectMsg<MeshStatus>();
    }

    private Node StartNode(MeshKeyRing keys, string team = "Cyan")
    {
        var transport = new UdpMeshTransport(new UdpMeshSettings
        {
            Bind = new IPEndPoint(IPAddress.Loopback, 0),
            Discovery = true,
            DiscoveryInterface = IPAddress.Loopback,
            DiscoveryGroup = _group,
            BeaconInterval = TimeSpan.FromMilliseconds(200),
        }, keys);
        var events = CreateTestProbe();
        var node = NodeId.NewRandom();
        var mesh = Sys.ActorOf(MeshActor.Props(new MeshSettings(keys, node, team), [transport], events.Ref));
        return new Node(node, mesh, events, transport);
    }

    private sealed record Node(NodeId Id, IActorRef Mesh, TestProbe Events, UdpMeshTransport Transport);
}
