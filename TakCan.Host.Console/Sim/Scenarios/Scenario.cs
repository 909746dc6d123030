using System.Text.Json;
using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

/// <summary>
/// A simulation scenario (a JSON file in <c>scenarios/</c>, format in specs/sim-report.md, "Scenario files"): where
/// the nodes are and how they move, the radio, the mission's hop limit and team filter, the traffic, and the faults.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    [JsonPropertyName("duration_s")]
    public double DurationS { get; init; } = 300;

    public int Seed { get; init; } = 1;

    public RadioSpec Radio { get; init; } = new();

    public MeshSpec Mesh { get; init; } = new();

    public TrafficSpec Traffic { get; init; } = new();

    public NodesSpec Nodes { get; init; } = new();

    public MotionSpec Motion { get; init; } = new();

    public ChurnSpec? Churn { get; init; }

    /// <summary>"memory" (default) or "sqlite": every simulated device journals into one SQLite file, so a crashed
    /// node recovers its contacts, chat and outbox from disk.</summary>
    public string Persistence { get; init; } = "memory";

    /// <summary>With persistence "memory": the first this many devices journal into the SQLite file all the same (crash
    /// and recovery from disk for a few, memory for the rest).</summary>
    [JsonPropertyName("sqlite_nodes")]
    public int SqliteNodes { get; init; }

    /// <summary>"full" (default): every device runs its whole tree (contacts, chat, emergency, CoT store, self reporter,
    /// ui). "light": mesh, self reporter and ui only — for thousands of nodes, where the situation actors' journals
    /// would cost more than the mesh being measured.</summary>
    public string Device { get; init; } = "full";

    /// <summary>What the report must show for the scenario to pass (checked by <c>takcan sim</c>, exit code 3 when missed).</summary>
    public ExpectSpec? Expect { get; init; }

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationS);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Scenario Load(string path)
    {
        var scenario = Parse(File.ReadAllText(path), path);
        return scenario;
    }

    public static Scenario Parse(string json, string origin = "scenario")
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{origin}: {e.Message}");
        }

        if (scenario is null) throw new ScenarioException($"{origin}: empty scenario");
        scenario.Validate(origin);
        return scenario;
    }

    private void Validate(string origin)
    {
        void Check(bool ok, string what)
        {
            if (!ok) throw new ScenarioException($"{origin}: {what}");
        }

        Check(DurationS > 0 && DurationS <= 7 * 24 * 3600, "duration_s must be between 0 and a week");
        Check(Mesh.MaxHops is >= 1 and <= 5, "mesh.max_hops must be 1–5 (a mission key's range)");
        Check(Radio.Loss is null or (>= 0 and < 1), "radio.loss must be in [0, 1)");
        Check(Radio.RangeM is null or > 0, "radio.range_m must be positive");
        Check(Radio.Mtu is null or (>= 64 and <= 65_535), "radio.mtu must be 64–65535");
        Check(Traffic.SaIntervalS > 0, "traffic.sa_interval_s must be positive");
        Check(Nodes.Count is >= 1 and <= 20_000 || Nodes.Positions.Count > 0, "nodes.count must be 1–20000 (or give nodes.positions)");
        Check(Nodes.Teams.Count >= 1, "nodes.teams needs at least one team");
        Check(Persistence is "memory" or "sqlite", "persistence is memory or sqlite");
        Check(Device is "full" or "light", "device is full or light");
        Check(SqliteNodes >= 0, "sqlite_nodes must not be negative");
        Check(Traffic.WarmupS >= 0 && Traffic.ChatEveryS >= 0 && Traffic.StartSpreadS >= 0, "traffic times must not be negative");
        Check(Motion.TickS > 0 && Motion.SpeedMps >= 0, "motion.tick_s must be positive and motion.speed_mps not negative");
        Check(Nodes.Positions.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() == Nodes.Positions.Count, "nodes.positions names must be unique");
        Check(Mesh.SuppressAfter is null or >= 1 && Mesh.OriginRingSuppressAfter is null or >= 1, "mesh suppression thresholds must be at least 1");
        foreach (var group in Motion.Groups)
        {
            Check(group.First >= 0 && group.Last >= group.First, "motion.groups: first and last are node indices, first <= last");
            Check(group.Waypoints.All(w => w is { Length: 3 }), "motion.groups waypoints are [t_s, dx_m, dy_m]");
            Check(group.Waypoints.Zip(group.Waypoints.Skip(1), (a, b) => b[0] > a[0]).All(increasing => increasing), "motion.groups waypoint times must increase");
        }
        Check(Churn is null || (Churn.EveryS > 0 && Churn.DownS > 0 && Churn.Fraction is > 0 and <= 1), "churn needs every_s, down_s > 0 and fraction in (0, 1]");
    }
}
