namespace TakCan.Host.Console.Sim.Report;

/// <summary>Latency of deliveries that took <c>hops</c> relays (0: from a direct neighbour).</summary>
public sealed record HopLatency(double? P50, double? P95, double? P99, long Count);
