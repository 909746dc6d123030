namespace TakCan.Host.Console.Sim.Report;

public sealed record LatencyReport(double? P50, double? P95, double? P99, long Count, IReadOnlyDictionary<string, HopLatency> ByHops);
