using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Node;
using TakCan.Protocols.Mesh;

namespace TakCan.Host.Console.Rig;

/// <summary>
/// One <c>takcan node</c> process of a rig: its config files, the process, its local API, and what its
/// <c>/api/events</c> stream showed arriving over the mesh (for hop counts and latency, which the contacts and chat
/// log do not carry).
/// </summary>
public sealed class RigNode : IAsyncDisposable
{
    private const int KeptOutputLines = 30;

    // Walking a square keeps the node "moving" (specs/device.md, "Self reporting"), so it reports SA every 2 s instead
    // of every 30 s: a short run then sees every SA cross the mesh after the links are up.
    private const double WalkStepMeters = 8;
    private const int WalkStepsPerSide = 4;

    private readonly Queue<string> _output = new();
    private readonly List<Heard> _heard = [];
    private readonly CancellationTokenSource _stopListening = new();
    private Process? _process;
    private Task? _listening;

    public RigNode(int index, string dataDirectory, int meshPort, int apiPort)
    {
        Index = index;
        DataDirectory = dataDirectory;
        MeshPort = meshPort;
        ApiPort = apiPort;
        Api = new LocalApiClient(ApiUrl, timeout: TimeSpan.FromSeconds(10));
    }

    public int Index { get; }

    public string Callsign => string.Create(CultureInfo.InvariantCulture, $"RIG-{Index + 1}");

    public string Uid => $"TAKCAN-{Callsign}";

    public string DataDirectory { get; }

    public int MeshPort { get; }

    public int ApiPort { get; }

    public string MeshEndpoint => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{MeshPort}");

    public string ApiUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ApiPort}");

    public LocalApiClient Api { get; }

    public int? Pid { get; private set; }

    public bool IsRunning
    {
        get
        {
            try
            {
                return _process is { HasExited: false };
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The last lines the process wrote (stdout and stderr), to say why it failed.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output) return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>": " and the process's last lines, or "" when it said nothing.</summary>
    public string Said() => RecentOutput is { Length: > 0 } output ? $":{Environment.NewLine}{output}" : " (it printed nothing)";

    /// <summary>Mesh CoT events this node's UI saw arrive, in arrival order.</summary>
    public IReadOnlyList<Heard> HeardEvents
    {
        get
        {
            lock (_heard) return _heard.ToArray();
        }
    }

    /// <summary>
    /// Writes <c>node.json</c> (static peers, discovery and ATAK multicast off: only the topology's links may carry
    /// anything) and, when walking, the GPX track the node replays.
    /// </summary>
    public void WriteConfig(string keyFile, IEnumerable<RigNode> peers, double lat, double lon, bool walk)
    {
        Directory.CreateDirectory(DataDirectory);
        var location = new NodeConfig.LocationConfig { Source = "fixed", Lat = lat, Lon = lon, Hae = 50 };
        if (walk)
        {
            File.WriteAllText(Path.Combine(DataDirectory, "walk.gpx"), WalkGpx(lat, lon));
            location = location with { Source = "gpx", File = "walk.gpx" };
        }

        var config = new NodeConfig
        {
            Callsign = Callsign,
            Uid = Uid,
            Node = NodeId.NewRandom().ToString(),
            Team = "Cyan",
            KeyFile = keyFile,
            Mesh = new NodeConfig.MeshConfig
            {
                Udp = new NodeConfig.UdpConfig
                {
                    Bind = MeshEndpoint,
                    Peers = peers.Select(p => p.MeshEndpoint).ToArray(),
                    Discovery = false,
                },
            },
            Api = new NodeConfig.ApiConfig { Url = ApiUrl },
            Multicast = new NodeConfig.MulticastConfig { Enabled = false },
            Location = location,
        };
        NodeConfigFile.Write(config, Path.Combine(DataDirectory, NodeConfigFile.DefaultName));
    }

    public void Start(TakcanExecutable takcan)
    {
        var process = Process.Start(takcan.StartInfo(["node", "--data", DataDirectory]))
                      ?? throw new RigException($"{Callsign}: could not start {takcan}");
        _process = process;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <exception cref="RigException">The process exited, or its API did not answer within <paramref name="within"/>.</exception>
    public async Task WaitForApiAsync(TimeSpan within, CancellationToken cancellation)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (!IsRunning) throw new RigException($"{Callsign} exited before its API answered{Said()}");
            try
            {
                await Api.GetStatusAsync(cancellation);
                return;
            }
            catch (LocalApiCallException) when (deadline.Elapsed < within)
            {
                await Task.Delay(200, cancellation);
            }
            catch (LocalApiCallException e)
            {
                throw new RigException($"{Callsign}'s API at {ApiUrl} did not answer within {within.TotalSeconds:0} s ({e.Message}){Said()}");
            }
        }
    }

    /// <summary>Starts reading <c>/api/events</c> in the background until <see cref="Kill"/>.</summary>
    public void Listen() => _listening = ListenAsync(_stopListening.Token);

    /// <summary>SIGKILL of the process tree: the rig's data is throw-away, and a node loses nothing acknowledged anyway (specs/device.md).</summary>
    public void Kill()
    {
        _stopListening.Cancel();
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async Task WaitForExitAsync(TimeSpan within)
    {
        if (_process is null) return;
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        if (_listening is not null) await _listening;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process?.Dispose();
        _stopListening.Dispose();
        Api.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { BaseAddress = new Uri(ApiUrl + "/"), Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead, cancellation);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellation);
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellation))
            {
                if (Parse(item.Data) is { } heard)
                    lock (_heard) _heard.Add(heard);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            // The node stopped or the rig is stopping: what was heard so far stands.
        }
    }

    /// <summary>A <c>cot</c> UI event that came over the mesh, or null for anything else.</summary>
    private static Heard? Parse(string data)
    {
        try
        {
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.GetProperty("kind").GetString() != "cot") return null;
            var payload = root.GetProperty("payload");
            var source = payload.GetProperty("source");
            if (source.GetProperty("kind").GetString() != "mesh") return null;
            var evt = payload.GetProperty("event");
            int? hops = source.TryGetProperty("hops", out var h) && h.ValueKind == JsonValueKind.Number ? h.GetInt32() : null;
            return new Heard(
                evt.GetProperty("uid").GetString() ?? "",
                evt.GetProperty("type").GetString() ?? "",
                evt.GetProperty("time").GetDateTimeOffset().UtcDateTime,
                root.GetProperty("time").GetDateTimeOffset().UtcDateTime,
                hops);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptOutputLines) _output.Dequeue();
        }
    }

    /// <summary>A closed square walk around (lat, lon), one fix a second.</summary>
    private static string WalkGpx(double lat, double lon)
    {
        var metersPerDegreeLat = 111_320.0;
        var metersPerDegreeLon = metersPerDegreeLat * Math.Cos(lat * Math.PI / 180);
        (int East, int North)[] directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
        var points = new System.Text.StringBuilder();
        var (east, north) = (0.0, 0.0);
        var time = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (de, dn) in directions)
        {
            for (var step = 0; step < WalkStepsPerSide; step++)
            {
                points.Append(CultureInfo.InvariantCulture,
                    $"<trkpt lat=\"{lat + north / metersPerDegreeLat:F7}\" lon=\"{lon + east / metersPerDegreeLon:F7}\"><ele>50</ele><time>{time:yyyy-MM-ddTHH:mm:ssZ}</time></trkpt>\n");
                east += de * WalkStepMeters;
                north += dn * WalkStepMeters;
                time = time.AddSeconds(1);
            }
        }

        return $"""
                <?xml version="1.0" encoding="UTF-8"?>
                <gpx version="1.1" creator="takcan rig" xmlns="http://www.topografix.com/GPX/1/1">
                <trk><name>rig walk</name><trkseg>
                {points}</trkseg></trk>
                </gpx>

                """;
    }

    /// <summary>A CoT event that arrived over the mesh.</summary>
    /// <param name="CotTime">The event's own time: when its origin made it (all rig nodes share one clock).</param>
    /// <param name="ReceivedAt">When this node's UI actor had it.</param>
    /// <param name="Hops">Relays on the way (0 = from a neighbour), as the mesh envelope says.</param>
    public sealed record Heard(string Uid, string Type, DateTime CotTime, DateTime ReceivedAt, int? Hops)
    {
        public double LatencyMs => (ReceivedAt - CotTime).TotalMilliseconds;
    }
}
