namespace TakCan.Host.Console.Rig;

/// <summary>
/// Which nodes of a rig are UDP neighbours (each node's static peers), and how many links apart any two nodes are.
/// Nodes are numbered 0 to N − 1; a grid fills rows of <see cref="Columns"/> nodes from the top left.
/// </summary>
public sealed class RigTopology
{
    public const int MinNodes = 2;
    public const int MaxNodes = 64;

    private readonly int[][] _neighbours;
    private readonly int[,] _distance;

    private RigTopology(RigTopologyKind kind, int nodes, int columns, int[][] neighbours)
    {
        Kind = kind;
        Nodes = nodes;
        Columns = columns;
        _neighbours = neighbours;
        _distance = Distances(neighbours);
        Diameter = Enumerable.Range(0, nodes).SelectMany(a => Enumerable.Range(0, nodes), (a, b) => _distance[a, b]).Max();
    }

    public RigTopologyKind Kind { get; }

    public int Nodes { get; }

    /// <summary>Nodes per row: N for a line or a ring (one row), ⌈√N⌉ for a grid.</summary>
    public int Columns { get; }

    public int Rows => (Nodes + Columns - 1) / Columns;

    /// <summary>The largest <see cref="Distance"/> between two nodes.</summary>
    public int Diameter { get; }

    /// <summary>Every link once, lower node first, in node order.</summary>
    public IEnumerable<(int A, int B)> Links =>
        Enumerable.Range(0, Nodes).SelectMany(a => _neighbours[a].Where(b => b > a), (a, b) => (a, b));

    /// <exception cref="RigException">Too few or too many nodes for <paramref name="kind"/>; the message says what fits.</exception>
    public static RigTopology Create(RigTopologyKind kind, int nodes)
    {
        if (nodes is < MinNodes or > MaxNodes)
            throw new RigException($"a rig has {MinNodes} to {MaxNodes} nodes, not {nodes}");
        if (kind == RigTopologyKind.Ring && nodes < 3)
            throw new RigException($"a ring needs at least 3 nodes, not {nodes} (2 nodes make a line)");

        var columns = kind == RigTopologyKind.Grid ? (int)Math.Ceiling(Math.Sqrt(nodes)) : nodes;
        var neighbours = new int[nodes][];
        for (var i = 0; i < nodes; i++)
        {
            neighbours[i] = kind switch
            {
                RigTopologyKind.Line => new[] { i - 1, i + 1 }.Where(j => j >= 0 && j < nodes).ToArray(),
                RigTopologyKind.Ring => new[] { (i + nodes - 1) % nodes, (i + 1) % nodes }.Distinct().Order().ToArray(),
                RigTopologyKind.Grid => GridNeighbours(i, nodes, columns),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown topology"),
            };
        }

        return new RigTopology(kind, nodes, columns, neighbours);
    }

    /// <summary>The nodes <paramref name="node"/> has a link with (its static peers), in node order.</summary>
    public IReadOnlyList<int> Neighbours(int node) => _neighbours[node];

    /// <summary>Links on the shortest path from <paramref name="a"/> to <paramref name="b"/>: 1 for neighbours, 0 for itself.</summary>
    public int Distance(int a, int b) => _distance[a, b];

    /// <summary>Row and column of <paramref name="node"/> (row 0 for a line or a ring).</summary>
    public (int Row, int Column) Place(int node) => (node / Columns, node % Columns);

    private static int[] GridNeighbours(int node, int nodes, int columns)
    {
        var (row, column) = (node / columns, node % columns);
        var candidates = new List<int>(4);
        if (row > 0) candidates.Add(node - columns);
        if (column > 0) candidates.Add(node - 1);
        if (column < columns - 1 && node + 1 < nodes) candidates.Add(node + 1);
        if (node + columns < nodes) candidates.Add(node + columns);
        return candidates.ToArray();
    }

    private static int[,] Distances(int[][] neighbours)
    {
        var n = neighbours.Length;
        var distance = new int[n, n];
        for (var from = 0; from < n; from++)
        {
            for (var to = 0; to < n; to++) distance[from, to] = -1;
            distance[from, from] = 0;
            var queue = new Queue<int>([from]);
            while (queue.TryDequeue(out var at))
            {
                foreach (var next in neighbours[at].Where(next => distance[from, next] < 0))
                {
                    distance[from, next] = distance[from, at] + 1;
                    queue.Enqueue(next);
                }
            }
        }

        return distance;
    }
}
