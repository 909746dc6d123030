using System.Net;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Tests.Mesh;

public class MeshUdpLineTests : TestKit
{
    private static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(10);

    [Fact]
    public void Cot_from_A_reaches_C_through_B_with_hop_count_1_exactly_once()
    {
        var keys = new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
        var (a, aEvents, aTransport) = StartNode(keys, "Cyan");
        var (b, bEvents, bTransport) = StartNode(keys, "Cyan");
        var (c, cEvents, cTransport) = StartNode(keys, "Cyan");
        // A line: A and C each know only B; B learns them from their HELLOs.
        aTransport.AddPeer(bTransport.LocalEndPoint);
        cTransport.AddPeer(bTransport.LocalEndPoint);
        aEvents.ExpectMsg<PeerJoined>(LinkUp);
        cEvents.ExpectMsg<PeerJoined>(LinkUp);
        bEvents.ExpectMsg<PeerJoined>(LinkUp);
        bEvents.ExpectMsg<PeerJoined>(LinkUp);

        var sa = new CotEvent
        {
            Uid = "ANDROID-alpha",
            Type = "a-f-G-U-C",
            How = "m-g",
            Time = DateTime.UtcNow,
            Start = DateTime.UtcNow,
            Stale = DateTime.UtcNow.AddMinutes(2),
            Point = new CotPoint(45.4215, -75.6972, 70),
            Detail = new CotDetail([new Contact { Callsign = "ALPHA" }, new Group { Team = "Cyan", Role = "Team Member" }]),
        };
        var payload = Google.Protobuf.MessageExtensions.ToByteArray(TakMessageConverter.ToTakMessage(sa));
        a.Tell(new SendToMesh(MeshMessageKind.Cot, payload), aEvents.Ref);
        var sent = aEvents.ExpectMsg<SentToMesh>();

        var atC = cEvents.ExpectMsg<MeshMessageReceived>(LinkUp).Envelope;
        Assert.Equal(1, atC.Hops);
        Assert.Equal(sent.Sequence, atC.Sequence);
        Assert.Equal("ALPHA", TakMessageConverter.Decode(atC.Payload.Span).Detail.Contact?.Callsign);
        Assert.Equal(0, bEvents.ExpectMsg<MeshMessageReceived>(LinkUp).Envelope.Hops);
        cEvents.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        a.Tell(GetMeshStatus.Instance, aEvents.Ref);
        var status = aEvents.ExpectMsg<MeshStatus>();
        Assert.Single(status.Links, l => l.Up);
        _ = b;
    }

    [Fact]
    public void A_neighbour_that_dies_is_timed_out_and_comes_back_when_it_restarts()
    {
        var keys = new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
        var quick = (TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        var (a, aEvents, aTransport) = StartNode(keys, "Cyan", quick);
        var (b, bEvents, bTransport) = StartNode(keys, "Cyan", quick);
        aTransport.AddPeer(bTransport.LocalEndPoint);
        aEvents.ExpectMsg<PeerJoined>(LinkUp);
        bEvents.ExpectMsg<PeerJoined>(LinkUp);

        // B dies without a word (a UDP neighbour cannot say goodbye): A closes the link after its link timeout.
        Watch(b);
        Sys.Stop(b);
        ExpectTerminated(b);
        aEvents.FishForMessage(m => m is PeerLeft, LinkUp);
        a.Tell(GetMeshStatus.Instance, aEvents.Ref);
        var status = aEvents.FishForMessage<MeshStatus>(_ => true, LinkUp);
        Assert.DoesNotContain(status.Links, l => l.Up);
        Assert.True(status.Counters.Drops[MeshDropReason.LinkTimeout] >= 1);

        // B restarts on the same port: A's static peer HELLOs find it again.
        var (_, restartedEvents, _) = StartNode(keys, "Cyan", quick, bTransport.LocalEndPoint.Port);
        aEvents.FishForMessage(m => m is PeerJoined, LinkUp);
        restartedEvents.ExpectMsg<PeerJoined>(LinkUp);
    }

    [Fact]
    public async Task Stray_datagrams_from_unknown_addresses_open_no_link()
    {
        var keys = new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
        var (a, aEvents, aTransport) = StartNode(keys, "Cyan");
        using var stranger = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var junk = new byte[64];
        // A data fragment, a HELLO under a key A does not hold, and a HELLO in two fragments: none may open a link.
        var keyId = keys.Current.KeyId;
        byte[] data = [0x01, 0, 0, 1, 0, 1, SealedFrame.LinkData, .. junk];
        byte[] otherKey = [0x01, 0, 0, 2, 0, 1, SealedFrame.Hello, (byte)~(keyId >> 8), (byte)~keyId, .. junk];
        byte[] split = [0x01, 0, 0, 3, 0, 2, SealedFrame.Hello, (byte)(keyId >> 8), (byte)keyId, .. junk];
        foreach (var datagram in new[] { data, otherKey, split }) await stranger.SendAsync(datagram, aTransport.LocalEndPoint);
        // Then a real node: its HELLO does open one, so the datagrams above were read and refused.
        var (_, bEvents, bTransport) = StartNode(keys, "Cyan");
        bTransport.AddPeer(aTransport.LocalEndPoint);
        aEvents.ExpectMsg<PeerJoined>(LinkUp);
        bEvents.ExpectMsg<PeerJoined>(LinkUp);

        a.Tell(GetMeshStatus.Instance, aEvents.Ref);
        var status = aEvents.FishForMessage<MeshStatus>(_ => true, LinkUp);
        Assert.Single(status.Links);
    }

    private (IActorRef Mesh, Akka.TestKit.TestProbe Events, UdpMeshTransport Transport) StartNode(MeshKeyRing keys, string team,
        (TimeSpan Keepalive, TimeSpan Timeout)? liveness = null, int port = 0)
    {
        var transport = new UdpMeshTransport(new UdpMeshSettings { Bind = new IPEndPoint(IPAddress.Loopback, port), Discovery = false }, keys);
        var events = CreateTestProbe();
        var settings = new MeshSettings(keys, NodeId.NewRandom(), team)
        {
            KeepaliveInterval = liveness?.Keepalive ?? TimeSpan.FromSeconds(10),
            LinkTimeout = liveness?.Timeout ?? TimeSpan.FromSeconds(35),
        };
        var mesh = Sys.ActorOf(MeshActor.Props(settings, [transport], events.Ref));
        return (mesh, events, transport);
    }
}
