using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record RadioSpec
{
    /// <summary>ble or wifi: the defaults the other fields override.</summary>
    public string Profile { get; init; } = "ble";

    /// <summary>broadcast (one transmission heard by every neighbour in range) or point-to-point.</summary>
    public string? Medium { get; init; }

    [JsonPropertyName("range_m")]
    public double? RangeM { get; init; }

    public int? Mtu { get; init; }

    [JsonPropertyName("bitrate_bps")]
    public long? BitrateBps { get; init; }

    [JsonPropertyName("latency_ms")]
    public double? LatencyMs { get; init; }

    public double? Loss { get; init; }
}
