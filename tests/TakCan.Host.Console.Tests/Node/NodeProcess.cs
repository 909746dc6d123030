using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TakCan.Actors.Platform;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Node;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Host.Console.Tests.Node;

/// <summary>
/// A real `takcan node` process with its own data directory, mesh port and API port, that a test can start,
/// SIGKILL and start again on the same data.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private Process? _process;

    private NodeProcess(string name, string dataDirectory, int meshPort, int apiPort)
    {
        Name = name;
        DataDirectory = dataDirectory;
        MeshPort = meshPort;
        ApiPort = apiPort;
        Api = new LocalApiClient($"http://127.0.0.1:{apiPort}", timeout: TimeSpan.FromSeconds(10));
    }

    public string Name { get; }

    public string DataDirectory { get; }

    public int MeshPort { get; }

    public int ApiPort { get; }

    public string Uid => $"TEST-{Name}";

    public LocalApiClient Api { get; }

    public List<string> Output { get; } = new();

    /// <summary>Writes the node's config and mission key; the peers are other nodes' mesh ports on 127.0.0.1.</summary>
    public static NodeProcess Create(string root, string name, MissionKey key, double lat, double lon)
    {
        var node = new NodeProcess(name, Path.Combine(root, name), FreePort(SocketType.Dgram, ProtocolType.Udp), FreePort(SocketType.Stream, ProtocolType.Tcp));
        Directory.CreateDirectory(node.DataDirectory);
        new FileKeyStore(node.DataDirectory).SaveAsync("mission.key", MissionKeyFile.Write(key)).GetAwaiter().GetResult();
        node.Lat = lat;
        node.Lon = lon;
        return node;
    }

    private double Lat { get; set; }

    private double Lon { get; set; }

    public void Configure(params NodeProcess[] peers)
    {
        var config = new NodeConfig
        {
            Callsign = Name,
            Uid = Uid,
            Node = NodeId.NewRandom().ToString(),
            Team = "Cyan",
            Mesh = new NodeConfig.MeshConfig
            {
                Udp = new NodeConfig.UdpConfig
                {
                    Bind = $"127.0.0.1:{MeshPort}",
                    Peers = peers.Select(p => $"127.0.0.1:{p.MeshPort}").ToArray(),
                    Discovery = false,
                },
            },
            Api = new NodeConfig.ApiConfig { Url = $"http://127.0.0.1:{ApiPort}" },
            // Multicast would let the nodes hear each other directly and hide what the mesh does.
            Multicast = new NodeConfig.MulticastConfig { Enabled = false },
            Location = new NodeConfig.LocationConfig { Source = "fixed", Lat = Lat, Lon = Lon, Hae = 50 },
        };
        NodeConfigFile.Write(config, Path.Combine(DataDirectory, NodeConfigFile.DefaultName));
    }

    /// <summary>Starts the process and returns once its local API answers.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "takcan.dll"));
        foreach (var arg in new[] { "node", "--data", DataDirectory }) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited: {string.Join('\n', Output)}");
            await Api.GetStatusAsync();
        }, TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was acknowledged must already be on disk.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (Output) Output.Add(line);
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) Kill();
        _process?.Dispose();
        Api.Dispose();
        return ValueTask.CompletedTask;
    }
}
