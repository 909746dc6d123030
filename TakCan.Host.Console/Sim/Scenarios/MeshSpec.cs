using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record MeshSpec
{
    [JsonPropertyName("max_hops")]
    public int MaxHops { get; init; } = 3;

    [JsonPropertyName("team_filter")]
    public bool TeamFilter { get; init; } = true;

    /// <summary>The relay's suppression thresholds (specs/mesh.md); null: the device defaults.</summary>
    [JsonPropertyName("suppress_after")]
    public int? SuppressAfter { get; init; }

    [JsonPropertyName("origin_ring_suppress_after")]
    public int? OriginRingSuppressAfter { get; init; }
}
