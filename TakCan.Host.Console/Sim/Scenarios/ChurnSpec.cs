using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

/// <summary>Every every_s seconds a random fraction of the nodes crash (radio off, device tree stopped); each
/// restarts down_s later with the same identity and recovers from its journal.</summary>
public sealed record ChurnSpec
{
    [JsonPropertyName("every_s")]
    public double EveryS { get; init; }

    [JsonPropertyName("down_s")]
    public double DownS { get; init; }

    public double Fraction { get; init; }
}
