using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.TestKit;
using Google.Protobuf;
using TakCan.Actors.Bridge;
using TakCan.Actors.Device;
using TakCan.Actors.Servers;
using TakCan.Actors.Tests.Device;
using TakCan.Actors.Tests.Servers;
using TakCan.Protocols.Bridge;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.TakProto;
using Xunit.Abstractions;
using static TakCan.Actors.Bridge.BridgeProtocol;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Tests.Bridge;

/// <summary>
/// One bridge driven envelope by envelope: a probe stands in for the mesh, <see cref="FakeServers"/> for the servers
/// part (a TLS server "ops" trusted by the test TAK CA, and a plain one), so every rule of specs/bridge.md is checked
/// on its own.
/// </summary>
public sealed class BridgeActorTests : SqliteTestKit
{
    private static readonly X509Certificate2 Alice = PeerCertificates.Rsa("alice");
    private static readonly X509Certificate2 Bob = PeerCertificates.Ecdsa("bob");
    private static readonly NodeId BridgeNode = NodeId.Parse("80000000000000000000000000000000");
    private static readonly NodeId AliceNode = NodeId.Parse("a11ce000000000000000000000000001");
    private static readonly NodeId BobNode = NodeId.Parse("b0b00000000000000000000000000002");
    private const string AliceUid = "ANDROID-alice";
    private const string BobUid = "ANDROID-bob";

    private static readonly IReadOnlyList<ServerEntry> Entries =
    [
        new() { Name = "ops", Url = "ssl://127.0.0.1:8089", Certificate = TestPki.Shared.ClientP12, CertificatePassword = TestPki.ClientPassword, Ca = TestPki.Shared.CaFile },
        new() { Name = "plain", Url = "tcp://127.0.0.1:8087" },
    ];

    private readonly TestProbe _mesh;
    private readonly TestProbe _uploads;
    private readonly IActorRef _servers;
    private uint _sequence = 100;
    private int _bridges;

    public BridgeActorTests(ITestOutputHelper output)
        : base(output)
    {
        _mesh = CreateTestProbe();
        _uploads = CreateTestProbe();
        var uploads = _uploads.Ref;
        _servers = Sys.ActorOf(Props.Create(() => new FakeServers(Entries, uploads)), "servers");
    }

    [Fact]
    public void An_onboarded_peers_signed_cot_goes_up_only_to_the_server_whose_ca_vouched_for_it()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        var peer = AwaitOnboarded(bridge, AliceUid);
        Assert.Equal(Alice.Subject, peer.Subject);
        Assert.Single(peer.Realms);

        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));

        var uploaded = _uploads.ExpectMsg<FakeServers.Uploaded>();
        Assert.Equal(("ops", AliceUid), (uploaded.Server, uploaded.Event.Uid));
        Assert.False(BridgeFlowTag.IsTagged(uploaded.Event));
        // A marker she owns goes up too; the plain server (no CA) never gets anything of hers.
        bridge.Tell(Cot(AliceNode, Marker("marker-1", AliceUid), Alice));
        Assert.Equal(("ops", "marker-1"), Upload());
        _uploads.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, Counters(bridge).Uploaded);
        var counted = AwaitOnboarded(bridge, AliceUid);
        Assert.Equal((2L, 0L), (counted.Uploaded, counted.Refused));
    }

    [Fact]
    public void Cot_of_a_peer_that_is_not_onboarded_stays_in_the_mesh()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);

        // Bob holds a valid certificate from the server's CA and signs, but never onboarded.
        bridge.Tell(Cot(BobNode, Sa(BobUid), Bob));
        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));

        // Messages are handled in order: had Bob's gone up, it would be the first upload.
        Assert.Equal(("ops", AliceUid), Upload());
        Assert.Equal(1, Counters(bridge).NotOnboarded);
    }

    [Fact]
    public void A_peer_forging_an_onboarded_origin_without_its_key_is_refused()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        var genuine = Cot(AliceNode, Sa(AliceUid), Alice).Envelope;

        bridge.Tell(Cot(AliceNode, Sa(AliceUid, "forged unsigned"), signer: null));
        bridge.Tell(Cot(AliceNode, Sa(AliceUid, "forged with bob's key"), Bob));
        // Alice's real signature moved onto another payload, and onto the same payload under another sequence number.
        bridge.Tell(new MeshMessageReceived(Cot(AliceNode, Sa(AliceUid, "forged copy"), signer: null).Envelope with { Signature = genuine.Signature }));
        bridge.Tell(new MeshMessageReceived(genuine with { Sequence = genuine.Sequence + 1 }));
        bridge.Tell(new MeshMessageReceived(genuine with { Kind = MeshMessageKind.Cot, Ttl = 1, Hops = 2 })); // relayed: still hers

        var uploaded = _uploads.ExpectMsg<FakeServers.Uploaded>();
        Assert.Equal("ALICE", uploaded.Event.Detail.Contact?.Callsign);
        Assert.Equal(4, Counters(bridge).BadSignature);
    }

    [Fact]
    public void An_onboarded_peer_cannot_send_up_cot_under_another_uid()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);

        bridge.Tell(Cot(AliceNode, Sa(BobUid), Alice));
        bridge.Tell(Cot(AliceNode, Marker("bobs-marker", BobUid), Alice));
        bridge.Tell(Cot(AliceNode, Marker("alices-marker", AliceUid), Alice));

        Assert.Equal(("ops", "alices-marker"), Upload());
        Assert.Equal(2, Counters(bridge).ForeignUid);
        var alice = AwaitOnboarded(bridge, AliceUid);
        Assert.Equal((1L, 2L), (alice.Uploaded, alice.Refused));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "rogue-ca", "not a client certificate of a CA trusted" },
        { "server-only", "not a client certificate of a CA trusted" },
        { "expired", "not a client certificate of a CA trusted" },
        { "six-minutes-old", "from the bridge's clock" },
        { "six-minutes-ahead", "from the bridge's clock" },
        { "signed-by-another-key", "signature does not verify" },
        { "another-node", "came from node" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void An_onboard_message_that_proves_nothing_is_refused(string kind, string reason)
    {
        var bridge = StartBridge();
        var now = DateTimeOffset.UtcNow;
        var request = kind switch
        {
            "rogue-ca" => OnboardRequest.Create(AliceNode, AliceUid, now, PeerCertificates.FromRogueCa("alice")),
            "server-only" => OnboardRequest.Create(AliceNode, AliceUid, now, PeerCertificates.ServerOnly("alice")),
            "expired" => OnboardRequest.Create(AliceNode, AliceUid, now, PeerCertificates.Expired("alice")),
            "six-minutes-old" => OnboardRequest.Create(AliceNode, AliceUid, now.AddMinutes(-6), Alice),
            "six-minutes-ahead" => OnboardRequest.Create(AliceNode, AliceUid, now.AddMinutes(6), Alice),
            "signed-by-another-key" => OnboardRequest.Create(AliceNode, AliceUid, now, Alice) with
            {
                Signature = CertificateSignature.Sign(Bob, OnboardRequest.SignedBytes(AliceNode, AliceUid, now.ToUnixTimeMilliseconds())),
            },
            "another-node" => OnboardRequest.Create(BobNode, AliceUid, now, Alice),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        bridge.Tell(Control(AliceNode, request.ToBytes()));

        var status = AwaitStatus(bridge, s => s.Counters.OnboardRefused == 1);
        Assert.Contains(reason, status.LastRefusal, StringComparison.Ordinal);
        Assert.Empty(status.Peers);
        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));
        AwaitStatus(bridge, s => s.Counters.NotOnboarded == 1);
    }

    [Fact]
    public void A_uid_onboarded_by_one_user_cannot_be_claimed_by_another()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);

        Onboard(bridge, BobNode, AliceUid, Bob);

        var status = AwaitStatus(bridge, s => s.Counters.OnboardRefused == 1);
        Assert.Contains("onboarded by another user", status.LastRefusal, StringComparison.Ordinal);
        Assert.Equal(AliceNode.ToString(), Assert.Single(status.Peers).Node);
    }

    [Fact]
    public void Hostile_onboard_payloads_are_counted_and_the_bridge_keeps_working()
    {
        var bridge = StartBridge();
        var valid = OnboardRequest.Create(AliceNode, AliceUid, DateTimeOffset.UtcNow, Alice).ToBytes();
        var random = new Random(6);
        var payloads = new List<byte[]>();
        for (var length = 0; length < valid.Length; length += 37) payloads.Add(valid[..length]);
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            payloads.Add(bytes);
        }

        payloads.Add(new byte[BridgeControlMessage.MaxBytes + 1]);
        foreach (var payload in payloads) bridge.Tell(Control(AliceNode, payload));
        // A flip in the type name makes another control type, which is not the bridge's: ignored, not refused.
        var notForTheBridge = payloads.Count(static p =>
        {
            try
            {
                return BridgeControlMessage.Read(p) is null;
            }
            catch (BridgeMessageException)
            {
                return false;
            }
        });

        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        // Every other payload was refused or (a flip in bytes nothing checks, e.g. inside an unused extension) accepted.
        var counters = AwaitStatus(bridge, s => s.Counters.OnboardRefused + s.Counters.Onboarded == payloads.Count - notForTheBridge + 1).Counters;
        Assert.True(counters.OnboardRefused >= payloads.Count - notForTheBridge - 10, $"only {counters.OnboardRefused} of {payloads.Count} refused");
        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));
        Assert.Equal(("ops", AliceUid), Upload());
    }

    [Fact]
    public void A_server_event_enters_the_mesh_once_tagged_as_the_bridges_own()
    {
        var bridge = StartBridge();
        var evt = Sa("ANDROID-hq", "from the server");

        bridge.Tell(FromServer(evt));
        bridge.Tell(FromServer(evt)); // the server sending it again

        var injected = ExpectInjected();
        Assert.Equal("ANDROID-hq", injected.Uid);
        var tag = Assert.Single(injected.Detail.FlowTags!.Tags);
        Assert.Equal(BridgeFlowTag.Prefix + BridgeNode, tag.Name);
        AwaitStatus(bridge, s => s.Counters is { Injected: 1, Echoes: 1 });
        _mesh.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Nothing_goes_round_between_the_mesh_and_the_server()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        var uploaded = Sa(AliceUid);
        var fromMesh = Sa("ANDROID-carol", "carol, mesh only");
        var tagged = BridgeFlowTag.Tag(Sa(AliceUid, "came down through another bridge"), NodeId.NewRandom(), DateTime.UtcNow);

        bridge.Tell(Cot(AliceNode, uploaded, Alice));
        Assert.Equal(("ops", AliceUid), Upload());
        bridge.Tell(Cot(BobNode, fromMesh, Bob));
        bridge.Tell(Cot(AliceNode, tagged, Alice)); // carries a bridge tag: never sent up
        // The server passes both mesh events back: neither goes down again.
        bridge.Tell(FromServer(uploaded));
        bridge.Tell(FromServer(fromMesh));
        // A server event that a bridge tagged can only have gone round: it stays out.
        bridge.Tell(FromServer(BridgeFlowTag.Tag(Sa("ANDROID-hq"), NodeId.NewRandom(), DateTime.UtcNow)));
        // A server event the mesh brings while it waits (the server was faster than the mesh) stays out too.
        var raced = Sa("ANDROID-dave", "raced");
        bridge.Tell(FromServer(raced));
        bridge.Tell(Cot(BobNode, raced, Bob));

        AwaitStatus(bridge, s => s.Counters.Echoes == 5);
        _uploads.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Null(TryInjected(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, Counters(bridge).Injected);
    }

    [Fact]
    public void A_bridge_with_a_lower_node_id_for_the_same_server_makes_this_one_stand_by()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        var ops = Status(bridge).Servers.Single(s => s.Name == "ops");
        Assert.True(ops.Active);
        var realm = new BridgeRealm(Convert.ToUInt64(ops.Realm, 16));

        // A higher node id bridging the same server changes nothing; a lower one takes over.
        bridge.Tell(Control(NodeId.Parse("f0000000000000000000000000000000"), new BridgeAnnouncement([realm]).ToBytes()));
        ExpectAnnouncement();
        Assert.True(Status(bridge).Servers.Single(s => s.Name == "ops").Active);
        bridge.Tell(Control(NodeId.Parse("00000000000000000000000000000001"), new BridgeAnnouncement([realm]).ToBytes()));
        ExpectAnnouncement();
        AwaitStatus(bridge, s => !s.Servers.Single(x => x.Name == "ops").Active && s.Servers.Single(x => x.Name == "plain").Active && s.Bridges.Count == 2);

        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));
        bridge.Tell(FromServer(Sa("ANDROID-hq"), "ops"));
        bridge.Tell(FromServer(Sa("ANDROID-plain"), "plain"));

        Assert.Equal("ANDROID-plain", ExpectInjected().Uid);
        AwaitStatus(bridge, s => s.Counters is { Standby: 2, Uploaded: 0 });
        _uploads.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Onboarded_peers_survive_a_restart_of_the_bridge()
    {
        var bridge = StartBridge("bridge-restart");
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        Watch(bridge);
        Sys.Stop(bridge);
        ExpectTerminated(bridge);

        var again = StartBridge("bridge-restart");

        Assert.Equal(Alice.Subject, AwaitOnboarded(again, AliceUid).Subject);
        again.Tell(Cot(AliceNode, Sa(AliceUid), Alice));
        Assert.Equal(("ops", AliceUid), Upload());
    }

    [Fact]
    public async Task A_removed_peer_is_no_longer_forwarded()
    {
        var bridge = StartBridge();
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);

        var removed = await bridge.Ask<PeerRemovedFromBridge>(new RemoveOnboardedPeer(AliceNode.ToString()), Patience);
        bridge.Tell(Cot(AliceNode, Sa(AliceUid), Alice));

        Assert.True(removed.Removed);
        AwaitStatus(bridge, s => s.Counters.NotOnboarded == 1 && s.Peers.Count == 0);
        Assert.False((await bridge.Ask<PeerRemovedFromBridge>(new RemoveOnboardedPeer(AliceNode.ToString()), Patience)).Removed);
    }

    [Fact]
    public async Task A_removed_peers_certificate_cannot_onboard_again_but_a_new_one_can()
    {
        var bridge = StartBridge("bridge-revoke");
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitOnboarded(bridge, AliceUid);
        Assert.True((await bridge.Ask<PeerRemovedFromBridge>(new RemoveOnboardedPeer(AliceNode.ToString()), Patience)).Removed);

        // Her device keeps resending its onboarding (a lost phone does): refused, also after a restart of the bridge.
        Onboard(bridge, AliceNode, AliceUid, Alice);
        AwaitStatus(bridge, s => s.LastRefusal?.Contains("removed from this bridge") == true && s.Peers.Count == 0);
        Watch(bridge);
        Sys.Stop(bridge);
        ExpectTerminated(bridge);
        var again = StartBridge("bridge-revoke");
        Onboard(again, AliceNode, AliceUid, Alice);
        AwaitStatus(again, s => s.LastRefusal?.Contains("removed from this bridge") == true && s.Peers.Count == 0);

        // Enrolled anew with the server: a new certificate onboards.
        var renewed = PeerCertificates.Rsa("alice");
        Onboard(again, AliceNode, AliceUid, renewed);
        Assert.Equal(renewed.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            AwaitOnboarded(again, AliceUid).Fingerprint, StringComparer.OrdinalIgnoreCase);
    }

    // ---- harness ----------------------------------------------------------------------------------------------

    private IActorRef StartBridge(string? persistenceId = null)
    {
        var device = CreateTestProbe();
        var settings = new BridgeSettings(BridgeNode)
        {
            PersistenceId = persistenceId ?? $"bridge-{++_bridges}",
            DownHold = TimeSpan.FromMilliseconds(300),
            TrustRefresh = TimeSpan.FromMinutes(1),
        };
        var bridge = Sys.ActorOf(BridgeActor.Props(settings, device.Ref));
        device.ExpectMsg<DeviceProtocol.GetChildren>(Patience);
        device.Reply(new DeviceProtocol.ChildrenOf(_mesh.Ref, ActorRefs.Nobody, new Dictionary<string, IActorRef> { ["servers"] = _servers }));
        // The first announcement means the servers' trust has been read.
        ExpectAnnouncement();
        return bridge;
    }

    private BridgeAnnouncement ExpectAnnouncement()
    {
        var send = _mesh.FishForMessage<SendToMesh>(m => m.Kind == MeshMessageKind.Control, Patience);
        return Assert.IsType<BridgeAnnouncement>(BridgeControlMessage.Read(send.Payload));
    }

    private CotEvent ExpectInjected() => TryInjected(Patience) ?? throw new Xunit.Sdk.XunitException("nothing entered the mesh");

    private CotEvent? TryInjected(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var message = _mesh.ReceiveOne(deadline - DateTime.UtcNow);
            if (message is SendToMesh { Kind: MeshMessageKind.Cot } send) return TakMessageConverter.Decode(send.Payload.Span);
        }

        return null;
    }

    private (string Server, string Uid) Upload()
    {
        var uploaded = _uploads.ExpectMsg<FakeServers.Uploaded>(Patience);
        return (uploaded.Server, uploaded.Event.Uid);
    }

    private void Onboard(IActorRef bridge, NodeId node, string uid, X509Certificate2 certificate) =>
        bridge.Tell(Control(node, OnboardRequest.Create(node, uid, DateTimeOffset.UtcNow, certificate).ToBytes()));

    private MeshMessageReceived Control(NodeId origin, byte[] payload) =>
        new(new MeshEnvelope(MeshMessageKind.Control, origin, ++_sequence, 3, 0, payload));

    private MeshMessageReceived Cot(NodeId origin, CotEvent evt, X509Certificate2? signer)
    {
        var envelope = new MeshEnvelope(MeshMessageKind.Cot, origin, ++_sequence, 3, 0, TakMessageConverter.ToTakMessage(evt).ToByteArray());
        return new MeshMessageReceived(signer is null ? envelope : EnvelopeSignature.Sign(envelope, signer));
    }

    private static DeviceProtocol.CotReceived FromServer(CotEvent evt, string server = "ops") =>
        new(evt, new CotSource(CotSourceKind.Server, "server:" + server));

    private static CotEvent Sa(string uid, string? callsign = null) =>
        SampleCot.Sa(uid, callsign ?? uid["ANDROID-".Length..].ToUpperInvariant(), DateTime.UtcNow);

    private static CotEvent Marker(string uid, string parent)
    {
        var now = DateTime.UtcNow;
        return new CotEvent
        {
            Uid = uid,
            Type = "b-m-p-s-m",
            How = "h-g-i-g-o",
            Time = now,
            Start = now,
            Stale = now.AddDays(1),
            Point = new CotPoint(45.42, -75.69, 70),
            Detail = new CotDetail([new Link { Uid = parent, Type = "a-f-G-U-C", Relation = "p-p" }, new Contact { Callsign = uid }]),
        };
    }

    private OnboardedPeer AwaitOnboarded(IActorRef bridge, string uid) =>
        AwaitStatus(bridge, s => s.Peers.Any(p => p.Uid == uid)).Peers.Single(p => p.Uid == uid);

    private BridgeStatus AwaitStatus(IActorRef bridge, Func<BridgeStatus, bool> until)
    {
        BridgeStatus status = null!;
        AwaitAssert(() =>
        {
            status = Status(bridge);
            Assert.True(until(status), $"bridge status never matched; last: {status.Counters}, peers {status.Peers.Count}, refusal {status.LastRefusal}");
        }, Patience, TimeSpan.FromMilliseconds(20));
        return status;
    }

    private BridgeStatus Status(IActorRef bridge) => bridge.Ask<BridgeStatus>(GetBridgeStatus.Instance, Patience).GetAwaiter().GetResult();

    private BridgeCounters Counters(IActorRef bridge) => Status(bridge).Counters;
}
