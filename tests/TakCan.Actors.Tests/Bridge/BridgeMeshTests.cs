using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using TakCan.Actors.Bridge;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Actors.Tests.Device;
using TakCan.Actors.Tests.Servers;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;
using Xunit.Abstractions;
using static TakCan.Actors.Bridge.BridgeProtocol;

namespace TakCan.Actors.Tests.Bridge;

/// <summary>
/// Whole devices (DeviceRoot with the servers part, the bridge and onboarding) on an in-memory mesh, bridged to the
/// in-test TAK Server over mutual TLS: what issue 6 asks of bridge mode, end to end.
/// </summary>
public sealed class BridgeMeshTests : SqliteTestKit
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(500);
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
    private readonly string _directory = Directory.CreateTempSubdirectory("takcan-bridge-").FullName;
    private readonly List<FakeTakServer> _servers = new();

    public BridgeMeshTests(ITestOutputHelper output)
        : base(output)
    {
    }

    [Fact]
    public async Task The_onboarded_peers_cot_goes_up_server_cot_comes_down_and_nobody_elses_goes_up()
    {
        var server = TlsServer();
        var bridgeNode = NodeId.Parse("80000000000000000000000000000000");
        var aliceNode = NodeId.Parse("a11ce000000000000000000000000001");
        var bridge = Start("bridge", bridgeNode, server);
        var alice = Start("alice", aliceNode, onboardWith: PeerCertificates.Rsa("alice"));
        var mallory = Start("mallory", NodeId.NewRandom());
        // Holds the mission key and claims Alice's node id, but not her key.
        var forger = Start("forger", aliceNode);
        foreach (var peer in new[] { alice, mallory, forger }) InMemoryMeshTransport.Connect(peer.Link, bridge.Link);
        await server.NextSessionAsync(Patience);
        AwaitBridge(bridge, s => s.Peers.Any(p => p.Uid == "ANDROID-alice"));

        mallory.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-mallory", "MALLORY")));
        forger.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "FORGED")));
        AwaitBridge(bridge, s => s.Counters is { NotOnboarded: 1, BadSignature: 1 });
        alice.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "ALICE")));

        // Had Mallory's or the forger's event gone up, it would have reached the server first.
        var up = await server.NextEventAsync(Patience);
        Assert.Equal(("ANDROID-alice", "ALICE"), (up.Event.Uid, up.Event.Detail.Contact?.Callsign));

        await server.PublishAsync(Sa("ANDROID-hq", "HQ"));
        foreach (var peer in new[] { alice, mallory })
        {
            var down = ExpectFromMesh(peer, "ANDROID-hq");
            Assert.Equal(bridgeNode.ToString(), down.Source.Node);
            Assert.Contains(down.Event.Detail.FlowTags!.Tags, t => t.Name == BridgeFlowTag.NameFor(bridgeNode));
        }

        // The server event never went back up: the next thing the server hears is Alice again.
        alice.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "ALICE AGAIN")));
        Assert.Equal("ALICE AGAIN", (await server.NextEventAsync(Patience)).Event.Detail.Contact?.Callsign);
        Assert.Equal(1, BridgeStatusOf(bridge).Counters.Injected);
    }

    [Fact]
    public async Task Two_bridges_on_one_mesh_send_each_event_up_once_and_each_server_event_down_once()
    {
        var server = TlsServer();
        var firstNode = NodeId.Parse("10000000000000000000000000000000");
        var secondNode = NodeId.Parse("20000000000000000000000000000000");
        var first = Start("first", firstNode, server);
        var second = Start("second", secondNode, server);
        var alice = Start("alice", NodeId.NewRandom(), onboardWith: PeerCertificates.Ecdsa("alice"));
        InMemoryMeshTransport.Connect(alice.Link, first.Link);
        InMemoryMeshTransport.Connect(alice.Link, second.Link);
        InMemoryMeshTransport.Connect(first.Link, second.Link);
        await server.NextSessionAsync(Patience);
        await server.NextSessionAsync(Patience);
        // Both know each other and Alice; the lower node id is the active bridge for the server.
        AwaitBridge(first, s => s.Bridges.Count == 1 && s.Peers.Count == 1 && s.Servers.Single().Active);
        AwaitBridge(second, s => s.Bridges.Count == 1 && s.Peers.Count == 1 && !s.Servers.Single().Active);

        // Mesh → server: each of Alice's events reaches the server once.
        alice.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "ALICE 1")));
        Assert.Equal("ALICE 1", (await server.NextEventAsync(Patience)).Event.Detail.Contact?.Callsign);
        alice.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "ALICE 2")));
        Assert.Equal("ALICE 2", (await server.NextEventAsync(Patience)).Event.Detail.Contact?.Callsign);
        AwaitBridge(second, s => s.Counters is { Standby: 2, Uploaded: 0 });
        Assert.Equal(2, BridgeStatusOf(first).Counters.Uploaded);

        // The standby bridge's own SA goes up itself; the active one gets it from the server and through the mesh and
        // must not send it down again.
        second.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-second", "SECOND")));
        Assert.Equal("SECOND", (await server.NextEventAsync(Patience)).Event.Detail.Contact?.Callsign);
        Assert.Equal(secondNode.ToString(), ExpectFromMesh(alice, "ANDROID-second").Source.Node);

        // Server → mesh: an event from a TAK client on the server enters the mesh once, through the active bridge.
        await server.PublishAsync(Sa("ANDROID-hq", "HQ"));
        Assert.Equal(firstNode.ToString(), ExpectFromMesh(alice, "ANDROID-hq").Source.Node);
        ExpectNoneFromMesh(alice, ["ANDROID-hq", "ANDROID-second"], Hold * 3);
        AwaitBridge(second, s => s.Counters.Echoes >= 1 && s.Counters.Injected == 0);
        Assert.Equal(1, BridgeStatusOf(first).Counters.Injected);

        // Nothing went round: the next event the server hears is Alice's next one.
        alice.Device.Tell(new DeviceProtocol.SendCot(Sa("ANDROID-alice", "ALICE 3")));
        Assert.Equal("ALICE 3", (await server.NextEventAsync(Patience)).Event.Detail.Contact?.Callsign);
        Assert.Empty(server.Violations);
    }

    // ---- harness ----------------------------------------------------------------------------------------------

    private FakeTakServer TlsServer()
    {
        var server = FakeTakServer.Start(new FakeTakServerOptions { Tls = new FakeTakTls(TestPki.Shared.Server, TestPki.Shared.Ca) });
        _servers.Add(server);
        return server;
    }

    private Node Start(string name, NodeId node, FakeTakServer? bridgeTo = null, X509Certificate2? onboardWith = null)
    {
        var link = new InMemoryMeshTransport(name);
        var seen = CreateTestProbe();
        var uid = "ANDROID-" + name;
        var identity = new DeviceIdentity(uid, name.ToUpperInvariant(), "Cyan", "Team Member");
        var settings = new DeviceSettings(identity, new MeshSettings(_keys, node, "Cyan"), _directory);
        var seenRef = seen.Ref;
        var children = DeviceChildren.None with
        {
            Situation = [new SituationChild("seen", _ => Props.Create(() => new ProbeChild(seenRef)))],
        };
        if (bridgeTo is not null)
        {
            var file = Path.Combine(_directory, name + "-servers.json");
            File.WriteAllText(file, JsonSerializer.Serialize(new
            {
                servers = new[]
                {
                    new
                    {
                        name = "ops",
                        url = $"ssl://127.0.0.1:{bridgeTo.Port}",
                        certificate = TestPki.Shared.ClientP12,
                        certificatePassword = TestPki.ClientPassword,
                        ca = TestPki.Shared.CaFile,
                    },
                },
            }));
            var keys = new FileKeyStore(Path.Combine(_directory, name + "-credentials"));
            children = children with
            {
                Outlets =
                [
                    new DeviceOutlet("servers", device => ServersActor.Props(file, keys, new ServersProtocol.ServerIdentity(uid, name), device,
                        adjustLinks: s => s with
                        {
                            MinBackoff = TimeSpan.FromMilliseconds(50),
                            MaxBackoff = TimeSpan.FromMilliseconds(250),
                            PingInterval = TimeSpan.FromSeconds(1),
                            OfferTimeout = TimeSpan.FromSeconds(1),
                        }), evt => new ServerLinkProtocol.SendToServer(evt)),
                ],
                Bridge = device => BridgeActor.Props(new BridgeSettings(node)
                {
                    PersistenceId = name + "-bridge",
                    DownHold = Hold,
                    AnnounceInterval = TimeSpan.FromSeconds(2),
                }, device, keys),
            };
        }

        if (onboardWith is not null)
        {
            var onboarding = new OnboardingSettings(node, uid, _ => Task.FromResult<OnboardingIdentity?>(new OnboardingIdentity(onboardWith, [])))
            {
                CheckInterval = TimeSpan.FromMilliseconds(500),
                Resend = TimeSpan.FromSeconds(1),
            };
            children = children with { Onboarding = device => OnboardingActor.Props(onboarding, device) };
        }

        var deviceRef = Sys.ActorOf(DeviceRoot.Props(settings, [link], children), name);
        var named = deviceRef.Ask<DeviceProtocol.ChildrenOf>(DeviceProtocol.GetChildren.Instance, Patience).GetAwaiter().GetResult().Named;
        return new Node(deviceRef, link, seen, named.GetValueOrDefault("bridge"));
    }

    private static CotEvent Sa(string uid, string callsign) => SampleCot.Sa(uid, callsign, DateTime.UtcNow);

    private static DeviceProtocol.CotReceived ExpectFromMesh(Node node, string uid) =>
        node.Seen.FishForMessage<DeviceProtocol.CotReceived>(r => r.Source.Kind == CotSourceKind.Mesh && r.Event.Uid == uid, Patience);

    private static void ExpectNoneFromMesh(Node node, IReadOnlyCollection<string> uids, TimeSpan during)
    {
        var deadline = DateTime.UtcNow + during;
        while (DateTime.UtcNow < deadline)
        {
            if (node.Seen.ReceiveOne(deadline - DateTime.UtcNow) is DeviceProtocol.CotReceived { Source.Kind: CotSourceKind.Mesh } received)
                Assert.DoesNotContain(received.Event.Uid, uids);
        }
    }

    private void AwaitBridge(Node node, Func<BridgeStatus, bool> until) =>
        AwaitAssert(() =>
        {
            var status = BridgeStatusOf(node);
            Assert.True(until(status), $"bridge never matched; last: {status.Counters}, peers {status.Peers.Count}, bridges {status.Bridges.Count}, " +
                                       $"servers {string.Join(",", status.Servers)}, refusal {status.LastRefusal}");
        }, Patience, TimeSpan.FromMilliseconds(50));

    private static BridgeStatus BridgeStatusOf(Node node) =>
        node.Bridge!.Ask<BridgeStatus>(GetBridgeStatus.Instance, TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();

    protected override void AfterAll()
    {
        foreach (var server in _servers) server.Stop();
        base.AfterAll();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file something still holds; the temp directory is cleaned by the OS eventually.
        }
    }

    private sealed record Node(IActorRef Device, InMemoryMeshTransport Link, TestProbe Seen, IActorRef? Bridge);

    /// <summary>A situation child that hands every event the device distributes to a probe.</summary>
    private sealed class ProbeChild : ReceiveActor
    {
        public ProbeChild(IActorRef probe) => ReceiveAny(message => probe.Tell(message));
    }
}
