using System.Numerics;
using TakCan.Host.Console.Sim.Radio;

namespace TakCan.Host.Console.Sim.Scenarios;

/// <summary>The nodes of a scenario at time 0: names, positions (metres) and teams, from its layout and seed.</summary>
public sealed record ScenarioLayout(IReadOnlyList<string> Names, IReadOnlyList<Vector2> Positions, IReadOnlyList<string> Teams)
{
    public int Count => Names.Count;

    public static ScenarioLayout Place(Scenario scenario, double range, Random random)
    {
        var nodes = scenario.Nodes;
        if (nodes.Layout == "explicit" || nodes.Positions.Count > 0)
        {
            return new ScenarioLayout(
                nodes.Positions.Select(p => p.Name).ToArray(),
                nodes.Positions.Select(p => new Vector2((float)p.X, (float)p.Y)).ToArray(),
                nodes.Positions.Select((p, i) => p.Team ?? TeamOf(nodes, i, nodes.Positions.Count)).ToArray());
        }

        var count = nodes.Count;
        var positions = nodes.Layout switch
        {
            "line" => Enumerable.Range(0, count).Select(i => new Vector2((float)(i * nodes.SpacingM), 0)).ToArray(),
            "ring" => Ring(count, nodes.SpacingM),
            "grid" => Grid(count, nodes.SpacingM),
            "random" => Random(count, nodes.AreaM, range, random),
            _ => throw new ScenarioException($"unknown layout '{nodes.Layout}' (line, ring, grid, random, explicit)"),
        };
        var width = Math.Max(3, count.ToString().Length);
        return new ScenarioLayout(
            Enumerable.Range(0, count).Select(i => "n" + i.ToString().PadLeft(width, '0')).ToArray(),
            positions,
            Enumerable.Range(0, count).Select(i => TeamOf(nodes, i, count)).ToArray());
    }

    private static string TeamOf(NodesSpec nodes, int i, int count) =>
        nodes.TeamLayout == "halves"
            ? nodes.Teams[Math.Min(nodes.Teams.Count - 1, i * nodes.Teams.Count / count)]
            : nodes.Teams[i % nodes.Teams.Count];

    private static Vector2[] Ring(int count, double spacing)
    {
        // Neighbours on the circle are `spacing` apart (chord length).
        var radius = count < 2 ? 0 : spacing / (2 * Math.Sin(Math.PI / count));
        return Enumerable.Range(0, count)
            .Select(i => new Vector2((float)(radius * Math.Cos(2 * Math.PI * i / count)), (float)(radius * Math.Sin(2 * Math.PI * i / count))))
            .ToArray();
    }

    private static Vector2[] Grid(int count, double spacing)
    {
        var side = (int)Math.Ceiling(Math.Sqrt(count));
        return Enumerable.Range(0, count).Select(i => new Vector2((float)(i % side * spacing), (float)(i / side * spacing))).ToArray();
    }

    /// <summary>Uniform positions in the area, redrawn until the radio graph is connected (a connected random geometric graph).</summary>
    private static Vector2[] Random(int count, double[] area, double range, Random random)
    {
        if (area.Length != 2 || area[0] <= 0 || area[1] <= 0) throw new ScenarioException("nodes.area_m must be [width, height] in metres");
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var positions = Enumerable.Range(0, count)
                .Select(_ => new Vector2((float)(random.NextDouble() * area[0]), (float)(random.NextDouble() * area[1])))
                .ToArray();
            if (Connected(positions, range)) return positions;
        }

        throw new ScenarioException($"no connected placement of {count} nodes in {area[0]} × {area[1]} m with range {range} m: make the area smaller");
    }

    public static bool Connected(IReadOnlyList<Vector2> positions, double range)
    {
        var neighbours = SpatialIndex.Neighbours(positions, Enumerable.Repeat(true, positions.Count).ToArray(), range);
        var seen = new bool[positions.Count];
        var queue = new Queue<int>();
        queue.Enqueue(0);
        seen[0] = true;
        var reached = 1;
        while (queue.TryDequeue(out var node))
            foreach (var next in neighbours[node])
                if (!seen[next])
                {
                    seen[next] = true;
                    reached++;
                    queue.Enqueue(next);
                }

        return reached == positions.Count;
    }
}
