using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using TakCan.Actors.Bridge;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Servers;
using TakCan.Actors.Tests.Bridge;
using TakCan.Actors.Tests.Servers;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Tests.Api;
using TakCan.Protocols.Bridge;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Host.Console.Tests.Bridge;

/// <summary>
/// A local API on a free loopback port in front of a real <see cref="BridgeActor"/> (in-memory journal) whose servers
/// part is canned: one TLS server "ops" trusted by the test TAK CA. Or, with bridge mode off, no bridge at all.
/// </summary>
internal sealed class BridgeApiHarness : IAsyncDisposable
{
    public const string AliceUid = "ANDROID-alice";

    public static readonly NodeId BridgeNode = NodeId.Parse("80000000000000000000000000000000");
    public static readonly NodeId AliceNode = NodeId.Parse("a11ce000000000000000000000000001");

    private static readonly Lazy<X509Certificate2> AliceCertificate = new(() => PeerCertificates.Rsa("alice"));
    private uint _sequence;

    private BridgeApiHarness(ActorSystem system, IActorRef bridge, LocalApiHandle api, HttpClient http)
    {
        System = system;
        Bridge = bridge;
        Api = api;
        Http = http;
    }

    public static X509Certificate2 Alice => AliceCertificate.Value;

    public ActorSystem System { get; }

    /// <summary>The bridge part; Nobody with bridge mode off.</summary>
    public IActorRef Bridge { get; }

    public LocalApiHandle Api { get; }

    public HttpClient Http { get; }

    public string ApiUrl => $"http://127.0.0.1:{Api.Url.Port}";

    /// <param name="bridgeMode">False: the node runs no bridge (its <c>bridge.enabled</c> is false).</param>
    public static async Task<BridgeApiHarness> StartAsync(bool bridgeMode = true, LocalApiOptions? options = null)
    {
        var system = ActorSystem.Create("bridge-api-tests", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """));
        IActorRef bridge = ActorRefs.Nobody;
        try
        {
            if (bridgeMode) bridge = await StartBridgeAsync(system);
            var nobody = ActorRefs.Nobody;
            var targets = new ApiTargets(ApiHarness.Node with { MeshNode = BridgeNode.ToString() }, nobody, nobody, nobody, nobody, nobody, nobody)
            {
                Bridge = bridge,
            };
            var api = await LocalApi.StartAsync(targets, (options ?? new LocalApiOptions()) with { Url = "http://127.0.0.1:0" });
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Url.Port}/"), Timeout = TimeSpan.FromSeconds(10) };
            return new BridgeApiHarness(system, bridge, api, http);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>
    /// Sends the bridge <paramref name="node"/>'s onboard message as the mesh would hand it over. The bridge has read its
    /// server trust already and persists the onboarding before it takes another message, so whatever asks it next sees it.
    /// </summary>
    public void Onboard(NodeId node, string uid, X509Certificate2 certificate)
    {
        var payload = OnboardRequest.Create(node, uid, DateTimeOffset.UtcNow, certificate).ToBytes();
        Bridge.Tell(new MeshProtocol.MeshMessageReceived(new MeshEnvelope(MeshMessageKind.Control, node, ++_sequence, 3, 0, payload)));
    }

    private static async Task<IActorRef> StartBridgeAsync(ActorSystem system)
    {
        IReadOnlyList<ServerEntry> entries =
        [
            new() { Name = "ops", Url = "ssl://127.0.0.1:8089", Certificate = TestPki.Shared.ClientP12, CertificatePassword = TestPki.ClientPassword, Ca = TestPki.Shared.CaFile },
        ];
        var servers = new CannedActor(system, "servers")
        {
            Reply = m => m is ServersProtocol.ListServers
                ? new ServersProtocol.ServerList(entries.Select(static e => new ServersProtocol.ConfiguredServer(e, null, null)).ToArray())
                : null,
        };

        // The bridge announces itself once it has read the servers' trust: from then on it verifies onboard messages at once.
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mesh = new CannedActor(system, "mesh")
        {
            Reply = m =>
            {
                if (m is MeshProtocol.SendToMesh { Kind: MeshMessageKind.Control }) announced.TrySetResult();
                return null;
            },
        };
        var device = new CannedActor(system, "device")
        {
            Reply = m => m is DeviceProtocol.GetChildren
                ? new DeviceProtocol.ChildrenOf(mesh.Ref, ActorRefs.Nobody, new Dictionary<string, IActorRef> { ["servers"] = servers.Ref })
                : null,
        };

        // Long periods: no timer re-reads the trust between an onboard message and the question that follows it.
        var settings = new BridgeSettings(BridgeNode) { TrustRefresh = TimeSpan.FromHours(1), AnnounceInterval = TimeSpan.FromHours(1) };
        var bridge = system.ActorOf(BridgeActor.Props(settings, device.Ref), "bridge");
        await announced.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return bridge;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        await System.Terminate();
    }
}
