using System.Numerics;

namespace TakCan.Host.Console.Sim.Radio;

/// <summary>
/// Who is within range of whom, from node positions in metres: a grid of range-sized cells, so finding neighbours
/// costs the nodes nearby rather than every node (1 000 nodes that move every second stay cheap).
/// </summary>
public static class SpatialIndex
{
    /// <summary>Neighbour lists (ascending node index) of the nodes that are <paramref name="up"/>, within <paramref name="range"/>.</summary>
    public static int[][] Neighbours(IReadOnlyList<Vector2> positions, IReadOnlyList<bool> up, double range)
    {
        var cells = new Dictionary<(int, int), List<int>>();
        for (var i = 0; i < positions.Count; i++)
        {
            if (!up[i]) continue;
            var key = Cell(positions[i], range);
            if (!cells.TryGetValue(key, out var list)) cells[key] = list = new List<int>();
            list.Add(i);
        }

        var rangeSquared = range * range;
        var result = new int[positions.Count][];
        var found = new List<int>();
        for (var i = 0; i < positions.Count; i++)
        {
            found.Clear();
            if (up[i])
            {
                var (cx, cy) = Cell(positions[i], range);
                for (var dx = -1; dx <= 1; dx++)
                for (var dy = -1; dy <= 1; dy++)
                {
                    if (!cells.TryGetValue((cx + dx, cy + dy), out var list)) continue;
                    foreach (var j in list)
                        if (j != i && Vector2.DistanceSquared(positions[i], positions[j]) <= rangeSquared)
                            found.Add(j);
                }

                found.Sort();
            }

            result[i] = found.ToArray();
        }

        return result;
    }

    private static (int, int) Cell(Vector2 position, double range) =>
        ((int)Math.Floor(position.X / range), (int)Math.Floor(position.Y / range));
}
