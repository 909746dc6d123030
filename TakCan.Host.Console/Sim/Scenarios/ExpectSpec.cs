using System.Text.Json.Serialization;

namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record ExpectSpec
{
    [JsonPropertyName("delivery_ratio_min")]
    public double? DeliveryRatioMin { get; init; }

    [JsonPropertyName("transmissions_per_message_max")]
    public double? TransmissionsPerMessageMax { get; init; }

    [JsonPropertyName("sa_fresh_ratio_min")]
    public double? SaFreshRatioMin { get; init; }

    [JsonPropertyName("sa_within_two_intervals_min")]
    public double? SaWithinTwoIntervalsMin { get; init; }

    [JsonPropertyName("leaks_max")]
    public long? LeaksMax { get; init; }

    [JsonPropertyName("speedup_min")]
    public double? SpeedupMin { get; init; }
}
