using System.Text.Json.Serialization;
using TakCan.Actors.Mesh.Transports;

namespace TakCan.Host.Console.Sim.Radio;

/// <summary>
/// How a simulated radio behaves (specs/sim-report.md, "Radio"): who hears a frame (range), how big a frame may be
/// (MTU), how long it occupies the transmitter (bitrate: airtime is real), how long it takes to arrive (latency) and
/// how often it is lost. Broadcast: one transmission is heard by every neighbour in range; point to point: a link per
/// neighbour in range, each send goes to that neighbour only.
/// </summary>
public sealed record RadioProfile
{
    /// <summary>Bluetooth LE: short range, small MTU, a few hundred kbit/s.</summary>
    public static RadioProfile Ble { get; } = new()
    {
        Name = "ble", RangeM = 40, Mtu = 480, BitrateBps = 300_000, LatencyMs = 8, FrameOverheadBytes = 14,
    };

    /// <summary>WiFi ad hoc: about 100 m, an Ethernet-sized MTU, megabits.</summary>
    public static RadioProfile Wifi { get; } = new()
    {
        Name = "wifi", RangeM = 100, Mtu = 1400, BitrateBps = 6_000_000, LatencyMs = 2, FrameOverheadBytes = 36,
    };

    public string Name { get; init; } = "ble";

    [JsonPropertyName("range_m")]
    public double RangeM { get; init; }

    public int Mtu { get; init; }

    [JsonPropertyName("bitrate_bps")]
    public long BitrateBps { get; init; }

    [JsonPropertyName("latency_ms")]
    public double LatencyMs { get; init; }

    /// <summary>Fraction of frames a receiver loses, drawn per frame per receiver.</summary>
    public double Loss { get; init; }

    /// <summary>Preamble and MAC header bytes each frame costs on air besides its payload.</summary>
    [JsonPropertyName("frame_overhead_bytes")]
    public int FrameOverheadBytes { get; init; }

    public MeshMedium Medium { get; init; } = MeshMedium.Broadcast;

    /// <summary>Frames a transmitter may have waiting; beyond that new frames are dropped (counted <c>radio-backlog</c>).</summary>
    [JsonPropertyName("max_backlog_ms")]
    public double MaxBacklogMs { get; init; } = 2000;

    public TimeSpan Airtime(int bytes) => TimeSpan.FromSeconds((bytes + FrameOverheadBytes) * 8.0 / BitrateBps);

    public static RadioProfile Named(string name) => name.ToLowerInvariant() switch
    {
        "ble" => Ble,
        "wifi" => Wifi,
        _ => throw new ArgumentException($"unknown radio profile '{name}' (ble, wifi)"),
    };
}
