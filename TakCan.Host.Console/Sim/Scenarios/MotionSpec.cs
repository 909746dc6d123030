using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record MotionSpec
{
    /// <summary>none, random-walk (every node wanders at speed_mps inside the area) or groups (waypoint offsets per group).</summary>
    public string Kind { get; init; } = "none";

    [JsonPropertyName("speed_mps")]
    public double SpeedMps { get; init; } = 1.4;

    /// <summary>How often positions (and so neighbours, and the devices' GPS fixes) update.</summary>
    [JsonPropertyName("tick_s")]
    public double TickS { get; init; } = 1;

    public IReadOnlyList<MotionGroup> Groups { get; init; } = [];
}
