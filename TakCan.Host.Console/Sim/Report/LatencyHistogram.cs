namespace TakCan.Host.Console.Sim.Report;

/// <summary>
/// Latencies in fixed buckets (0.1 ms up to 1 s, 1 ms up to 2 min, then one overflow bucket), so a million
/// deliveries cost the same memory as ten and percentiles are exact to the bucket.
/// </summary>
public sealed class LatencyHistogram
{
    private const int FineBuckets = 10_000;
    private const int CoarseBuckets = 119_000;
    private readonly long[] _buckets = new long[FineBuckets + CoarseBuckets + 1];

    public long Count { get; private set; }

    public void Add(TimeSpan latency)
    {
        var ms = Math.Max(0, latency.TotalMilliseconds);
        var index = ms < 1000 ? (int)(ms * 10) : Math.Min(FineBuckets + CoarseBuckets, FineBuckets + (int)(ms - 1000));
        _buckets[index]++;
        Count++;
    }

    /// <summary>The latency (ms, upper edge of its bucket) below which <paramref name="fraction"/> of samples fall; null when empty.</summary>
    public double? Percentile(double fraction)
    {
        if (Count == 0) return null;
        var rank = (long)Math.Ceiling(fraction * Count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= Math.Max(1, rank)) return i < FineBuckets ? (i + 1) / 10.0 : 1000 + (i - FineBuckets + 1);
        }

        return null;
    }
}
