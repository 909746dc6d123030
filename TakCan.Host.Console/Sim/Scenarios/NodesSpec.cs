using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record NodesSpec
{
    /// <summary>line, ring, grid, random (a connected random geometric graph) or explicit (positions).</summary>
    public string Layout { get; init; } = "line";

    public int Count { get; init; }

    /// <summary>line, ring and grid: metres between neighbours.</summary>
    [JsonPropertyName("spacing_m")]
    public double SpacingM { get; init; } = 30;

    /// <summary>random: width and height of the area, metres.</summary>
    [JsonPropertyName("area_m")]
    public double[] AreaM { get; init; } = [200, 200];

    /// <summary>Teams, given to nodes in turn (node i is in team i mod count), or in halves with team_layout = halves.</summary>
    public IReadOnlyList<string> Teams { get; init; } = ["Cyan"];

    /// <summary>alternate (default) or halves (the first half of the nodes in the first team, and so on).</summary>
    [JsonPropertyName("team_layout")]
    public string TeamLayout { get; init; } = "alternate";

    /// <summary>explicit layout: named nodes at x, y metres.</summary>
    public IReadOnlyList<NodePosition> Positions { get; init; } = [];
}
