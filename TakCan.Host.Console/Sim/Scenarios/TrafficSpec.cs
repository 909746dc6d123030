using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record TrafficSpec
{
    /// <summary>Each device's self SA interval when it stands still (ATAK's stationary rate); moving devices report
    /// more often, as the self reporter decides.</summary>
    [JsonPropertyName("sa_interval_s")]
    public double SaIntervalS { get; init; } = 10;

    /// <summary>Every this many seconds a random device sends an All Chat Rooms message (0: no chat).</summary>
    [JsonPropertyName("chat_every_s")]
    public double ChatEveryS { get; init; }

    /// <summary>Devices switch on at random moments in [0, start_spread_s) (seeded) instead of all at 0, as a team's
    /// devices do; 0: all at once.</summary>
    [JsonPropertyName("start_spread_s")]
    public double StartSpreadS { get; init; }

    /// <summary>Events sent before this are not counted (links come up, first SAs go out).</summary>
    [JsonPropertyName("warmup_s")]
    public double WarmupS { get; init; } = 5;
}
