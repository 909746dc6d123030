using System.Text.Json;
using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Report;

/// <summary>
/// The result of one simulation run. The JSON keys are stable and documented in specs/sim-report.md; add keys,
/// never rename or repurpose one.
/// </summary>
public sealed record SimReport
{
    public required string Scenario { get; init; }

    public required int Seed { get; init; }

    /// <summary>default (dedupe, TTL, broadcast suppression) or naive (plain flooding).</summary>
    public required string Relay { get; init; }

    /// <summary>virtual or real.</summary>
    public required string Time { get; init; }

    public required int Nodes { get; init; }

    public required IReadOnlyList<string> Teams { get; init; }

    public required string Radio { get; init; }

    public required string Medium { get; init; }

    public required int MaxHops { get; init; }

    public required double DurationS { get; init; }

    public required double WallS { get; init; }

    /// <summary>Simulated seconds per wall-clock second.</summary>
    public required double Speedup { get; init; }

    /// <summary>CoT events sent inside the measurement window (self SA, chat, ...).</summary>
    public required long MessagesOriginated { get; init; }

    /// <summary>The counted CoT events by kind: <c>sa</c> (a-*), <c>chat</c> (b-t-f*), <c>emergency</c> (b-a-o-*), <c>other</c>.</summary>
    public IReadOnlyDictionary<string, long> MessagesByKind { get; init; } = new Dictionary<string, long>();

    /// <summary>Every mesh message any node originated during the run (CoT and acknowledgements).</summary>
    public required long MeshMessagesOriginated { get; init; }

    public required long ExpectedDeliveries { get; init; }

    public required long Deliveries { get; init; }

    /// <summary>Deliveries / expected deliveries: a receiver is expected when, at the moment of sending, it was of the
    /// sender's team (filter on), switched on, and within max hops of it in the radio graph.</summary>
    public required double? DeliveryRatio { get; init; }

    /// <summary>Of (self SA, expected receiver) pairs: the receiver had that SA or a newer one from the same sender
    /// within two SA intervals of its sending.</summary>
    public required double? SaFreshRatio { get; init; }

    /// <summary>Of (self SA, expected receiver) pairs: that very SA was delivered within two SA intervals of its sending.</summary>
    public double? SaWithinTwoIntervals { get; init; }

    /// <summary>Message transmissions (frames carrying a message's first fragment: a broadcast counts once, a
    /// point-to-point send once per link) per node per mesh message originated. Naive flooding is about 1.0.</summary>
    public required double? TransmissionsPerMessage { get; init; }

    public required long Transmissions { get; init; }

    public required long Frames { get; init; }

    public required long BytesOnAir { get; init; }

    /// <summary>Copies of messages a node heard again after the first (dropped by dedupe).</summary>
    public required long DuplicatesReceived { get; init; }

    public required LatencyReport LatencyMs { get; init; }

    /// <summary>Deliveries of an event to a node of another team than its sender.</summary>
    public required long Leaks { get; init; }

    /// <summary>Frames and messages dropped, by reason (mesh counters summed over nodes, and the radio's own).</summary>
    public required IReadOnlyDictionary<string, long> Drops { get; init; }

    public required double PeakMemoryMb { get; init; }

    /// <summary>Work that reached the simulation from outside its one thread (0 in a deterministic virtual-time run).</summary>
    public required long ForeignWork { get; init; }

    public required IReadOnlyList<NodeReport> PerNode { get; init; }

    /// <summary>Radio neighbours at the start, as pairs of indices into <see cref="PerNode"/> (for the picture).</summary>
    public required IReadOnlyList<int[]> Edges { get; init; }

    public required IReadOnlyList<CheckReport> Checks { get; init; }

    public bool Passed => Checks.All(c => c.Ok);

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
