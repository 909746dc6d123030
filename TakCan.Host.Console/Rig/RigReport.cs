using System.Text.Json;
using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Rig;

/// <summary>
/// What a rig run measured: who received whom, over how many hops, how fast. Serialised with the stable snake_case
/// keys of specs/rig.md, "Report".
/// </summary>
public sealed record RigReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public required RigTopologyKind Topology { get; init; }

    public required int Nodes { get; init; }

    /// <summary>Nodes per row (a grid's width; N for a line or a ring).</summary>
    public required int Columns { get; init; }

    /// <summary>The topology's largest distance in links.</summary>
    public required int Diameter { get; init; }

    /// <summary>The mission key's max hops: the diameter, at most 5.</summary>
    public required int MaxHops { get; init; }

    public required int BasePort { get; init; }

    /// <summary>Start to every local API answering.</summary>
    public required double StartupS { get; init; }

    /// <summary>Start to every topology link up; null when some never came up.</summary>
    public double? LinksUpS { get; init; }

    /// <summary>Traffic sent to every expected delivery seen; null when some never arrived.</summary>
    public double? DeliveryS { get; init; }

    public required double WallS { get; init; }

    /// <summary>Every expected SA, chat and emergency delivery arrived.</summary>
    public required bool Complete { get; init; }

    /// <summary>Deliveries seen over deliveries expected, all kinds together.</summary>
    public required double DeliveryRatio { get; init; }

    public required Delivery Sa { get; init; }

    public required Delivery Chat { get; init; }

    /// <summary>Null when the run raised none.</summary>
    public Delivery? Emergency { get; init; }

    /// <summary>Pairs further apart than max hops: nothing is expected to reach across them.</summary>
    public required IReadOnlyList<PairRef> BeyondMaxHops { get; init; }

    /// <summary>Node processes still running after the rig stopped them (0 unless something is badly wrong).</summary>
    public required int LeftoverProcesses { get; init; }

    public required IReadOnlyList<NodeFigures> Processes { get; init; }

    /// <summary>Every ordered pair (origin, receiver) of distinct nodes.</summary>
    public required IReadOnlyList<Pair> Pairs { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RigReport FromJson(string json) =>
        JsonSerializer.Deserialize<RigReport>(json, Json) ?? throw new JsonException("empty rig report");

    /// <param name="LatencyMs">Origin's CoT time to the receiver's UI, over the deliveries the event stream showed.</param>
    public sealed record Delivery(int Expected, int Delivered, double Ratio, Latency? LatencyMs);

    public sealed record Latency(double P50, double P95, double Max, int Samples)
    {
        public static Latency? Of(IEnumerable<double> samples)
        {
            var sorted = samples.Order().ToArray();
            if (sorted.Length == 0) return null;
            return new Latency(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Math.Round(sorted[^1], 1), sorted.Length);
        }

        // Nearest rank: the reported value is one that was measured.
        private static double Percentile(double[] sorted, double p) =>
            Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
    }

    public sealed record PairRef(string From, string To, int Distance);

    /// <param name="Peers">Callsigns of its static peers.</param>
    /// <param name="LinksUp">Links up with a verified peer when traffic started.</param>
    /// <param name="Drops">The node's mesh drop counters, as /api/status names them.</param>
    public sealed record NodeFigures(
        string Callsign,
        string Uid,
        int? Pid,
        int MeshPort,
        int ApiPort,
        string DataDir,
        IReadOnlyList<string> Peers,
        int LinksUp,
        long FramesSent,
        long FramesReceived,
        long Originated,
        long Delivered,
        long Relayed,
        IReadOnlyDictionary<string, long> Drops);

    /// <param name="Expected">Within max hops: every kind should arrive.</param>
    /// <param name="SaHops">Relays (0 = neighbour; distance − 1 on a shortest path) of the fewest-hop SA heard.</param>
    /// <param name="SaLatencyMs">Median over the SA heard after the links were up.</param>
    /// <param name="Emergency">Null unless <paramref name="From"/> raised the run's emergency.</param>
    public sealed record Pair(
        string From,
        string To,
        int Distance,
        bool Expected,
        bool Sa,
        int? SaHops,
        double? SaLatencyMs,
        bool Chat,
        int? ChatHops,
        double? ChatLatencyMs,
        bool? Emergency);
}
