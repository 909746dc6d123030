using System.Net;
using Akka.Actor;
using Akka.Configuration;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Actors.Multicast;
using TakCan.Actors.Platform;
using TakCan.Actors.Sensors;
using TakCan.Actors.Servers;
using TakCan.Host.Console.Api;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Keys;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Host.Console.Node;

/// <summary>
/// Composes one running device from the node config: identity, mission key, transports, the actor system with
/// its SQLite journal, DeviceRoot and the local API. Decides nothing the device itself decides.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private NodeHost(ActorSystem system, IActorRef device, NodeConfig config, string dataDirectory, LocalApiHandle api)
    {
        System = system;
        Device = device;
        Config = config;
        DataDirectory = dataDirectory;
        Api = api;
    }

    public LocalApiHandle Api { get; }

    public ActorSystem System { get; }

    public IActorRef Device { get; }

    public NodeConfig Config { get; }

    public string DataDirectory { get; }

    /// <summary>Loads (or creates) the config and key, starts the device; progress lines go to <paramref name="say"/>.</summary>
    public static async Task<NodeHost> StartAsync(NodeOptions options, Action<string> say, CancellationToken cancellation)
    {
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? NodeConfigFile.DefaultDataDirectory());
        Directory.CreateDirectory(dataDirectory);
        var config = LoadOrCreateConfig(options, dataDirectory, say);
        config = Override(config, options);
        var key = await LoadOrCreateKeyAsync(config, dataDirectory, say, cancellation);

        var hocon = SystemConfig();
        var tuning = DeviceConfiguration.From(hocon);
        var now = DateTime.UtcNow;
        var ring = MeshKeyRing.From(key, now);
        var mesh = new MeshSettings(ring, NodeId.Parse(config.Node), config.Team)
        {
            MaxHops = key.MaxHops,
            TeamFilter = config.Mesh.TeamFilter,
            HandshakeTimeout = tuning.HandshakeTimeout,
            KeepaliveInterval = tuning.KeepaliveInterval,
            LinkTimeout = tuning.LinkTimeout,
            LinkQueueSize = tuning.LinkQueueSize,
            Relay = tuning.Relay,
        };
        var identity = new DeviceIdentity(config.Uid, config.Callsign, config.Team, config.Role, config.Type);
        var transport = new UdpMeshTransport(UdpSettings(config.Mesh.Udp), ring);
        say($"mesh: UDP on {transport.LocalEndPoint}, mission {key.Mission} (key {MissionKey.FormatKeyId(key.KeyId)}), team {config.Team}, " +
            $"{(config.Mesh.Udp.Discovery ? "discovery on" : "discovery off")}, {config.Mesh.Udp.Peers.Count} static peer(s)");

        var location = LocationSources.From(config.Location, dataDirectory);
        var database = Path.Combine(dataDirectory, "takcan.db");
        var system = ActorSystem.Create("takcan", hocon.WithFallback(DevicePersistence.ForSqlite(database)));
        var settings = new DeviceSettings(identity, mesh, dataDirectory);
        var children = DeviceChildren.Standard(identity, location, configuration: tuning) with { Outlets = Outlets(config, dataDirectory) };
        children = NodeBridge.With(children, config, dataDirectory, say);
        var device = system.ActorOf(DeviceRoot.Props(settings, [transport], children), "device");
        var running = await device.Ask<DeviceProtocol.ChildrenOf>(DeviceProtocol.GetChildren.Instance, TimeSpan.FromSeconds(30), cancellation);
        LocalApiHandle api;
        try
        {
            api = await LocalApi.StartAsync(new ApiTargets(
                new ApiNode(config.Callsign, config.Uid, config.Team, config.Role, config.Node),
                device, running.Ui, running.Named["contacts"], running.Named["chat"], running.Named["emergency"], running.Mesh)
                {
                    Servers = running.Named["servers"],
                    Bridge = running.Named.GetValueOrDefault("bridge") ?? ActorRefs.Nobody,
                },
                new LocalApiOptions { Url = config.Api.Url, Token = config.Api.Token }, cancellation);
        }
        catch
        {
            await system.Terminate();
            throw;
        }

        say($"local API on {api.Url}{(api.TokenRequired ? " (token required)" : "")}");
        say($"node {config.Callsign} ({config.Uid}) running; data in {dataDirectory}");
        return new NodeHost(system, device, config, dataDirectory, api);
    }

    private static IReadOnlyList<DeviceOutlet> Outlets(NodeConfig config, string dataDirectory)
    {
        // Always there: with an empty (or no) servers file it links to nothing, and `takcan server add` starts links.
        var credentials = new FileKeyStore(ServersFile.CredentialsDirectory(dataDirectory));
        var servers = new DeviceOutlet("servers",
            device => ServersActor.Props(ServersFile.PathIn(dataDirectory), credentials, new ServersProtocol.ServerIdentity(config.Uid, config.Callsign), device,
                missions: new Actors.Servers.MartiApi.MissionsSettings(ServersFile.MissionsDirectory(dataDirectory))),
            evt => new ServerLinkProtocol.SendToServer(evt));
        if (!config.Multicast.Enabled) return [servers];
        return
        [
            servers,
            new DeviceOutlet("multicast", device => MulticastSaActor.Props(new MulticastSettings(config.Uid)
            {
                Interface = IPAddress.Parse(config.Multicast.Interface),
                SaGroup = IPEndPoint.Parse(config.Multicast.SaGroup),
                ChatGroup = IPEndPoint.Parse(config.Multicast.ChatGroup),
            }, device), evt => new MulticastProtocol.SendMulticast(evt)),
        ];
    }

    private static Config SystemConfig()
    {
        var hocon = Path.Combine(AppContext.BaseDirectory, "akka.hocon");
        return File.Exists(hocon) ? ConfigurationFactory.ParseString(File.ReadAllText(hocon)) : Akka.Configuration.Config.Empty;
    }

    private static NodeConfig LoadOrCreateConfig(NodeOptions options, string dataDirectory, Action<string> say)
    {
        var path = options.ConfigFile ?? Path.Combine(dataDirectory, NodeConfigFile.DefaultName);
        if (File.Exists(path)) return NodeConfigFile.Read(path);
        if (options.ConfigFile is not null) throw new FileNotFoundException($"no node config at {path}");
        var created = NodeConfigFile.CreateNew();
        NodeConfigFile.Write(created, path);
        say($"created a new identity {created.Callsign} ({created.Uid}) in {path}");
        return created;
    }

    private static NodeConfig Override(NodeConfig config, NodeOptions options) => config with
    {
        Callsign = options.Callsign ?? config.Callsign,
        Team = options.Team is null ? config.Team : MissionKey.NormalizeTeam(options.Team),
        Api = options.ApiUrl is null ? config.Api : config.Api with { Url = options.ApiUrl },
        Mesh = config.Mesh with
        {
            Udp = config.Mesh.Udp with
            {
                Bind = options.Bind ?? config.Mesh.Udp.Bind,
                Peers = options.Peers.Count > 0 ? options.Peers : config.Mesh.Udp.Peers,
                Discovery = options.Discovery ?? config.Mesh.Udp.Discovery,
            },
        },
    };

    private static async Task<MissionKey> LoadOrCreateKeyAsync(NodeConfig config, string dataDirectory, Action<string> say, CancellationToken cancellation)
    {
        var path = Path.IsPathRooted(config.KeyFile) ? config.KeyFile : Path.Combine(dataDirectory, config.KeyFile);
        var store = new FileKeyStore(Path.GetDirectoryName(path)!);
        var name = Path.GetFileName(path);
        if (await store.LoadAsync(name, cancellation) is { } bytes) return MissionKeyFile.Read(bytes);
        var key = MissionKey.Generate($"{config.Callsign} solo", config.Team, 3, DateTime.UtcNow.AddDays(30));
        await store.SaveAsync(name, MissionKeyFile.Write(key), cancellation);
        say($"created a new mission key {MissionKey.FormatKeyId(key.KeyId)} in {path} (a mission of one: " +
            "to join your team, `takcan key import` its key into this file)");
        return key;
    }

    private static UdpMeshSettings UdpSettings(NodeConfig.UdpConfig udp) => new()
    {
        Bind = IPEndPoint.Parse(udp.Bind),
        StaticPeers = udp.Peers.Select(IPEndPoint.Parse).ToArray(),
        Discovery = udp.Discovery,
        DiscoveryInterface = IPAddress.Parse(udp.DiscoveryInterface),
        DiscoveryGroup = IPEndPoint.Parse(udp.DiscoveryGroup),
    };

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
    }
}
