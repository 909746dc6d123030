using System.Collections;
using TakCan.Actors.Device;
using TakCan.Host.Console.Sim.Report;
using TakCan.Protocols.Cot;

namespace TakCan.Host.Console.Sim;

/// <summary>
/// Who sent what when, and who received it when and over how many hops: the raw material of the report. An event is
/// known by its acknowledgement key (uid and time in ms). Only events sent inside the measurement window count, each
/// against the receivers the radio graph could reach at the moment it was sent (same team with the filter on,
/// radio on, within the mission's hop limit).
/// </summary>
/// <remarks>The observers of every device write here: in real time from several threads, hence <paramref name="gate"/>.</remarks>
public sealed class SimLedger(IReadOnlyList<string> teams, Func<TimeSpan> now, Func<int, BitArray> reachable, TimeSpan countFrom, TimeSpan countUntil,
    object gate)
{
    private readonly Dictionary<string, int> _byKey = new();
    private readonly List<Sent> _sent = new();

    public LatencyHistogram Latency { get; } = new();

    public SortedDictionary<int, LatencyHistogram> LatencyByHops { get; } = new();

    public long Leaks { get; private set; }

    public long Deliveries { get; private set; }

    public long Unmatched { get; private set; }

    /// <summary>Self SA deliveries (to expected receivers) that took no longer than <see cref="SaWindow"/>.</summary>
    public long SaOnTime { get; private set; }

    /// <summary>Two SA intervals: how late an SA may arrive and still count as on time.</summary>
    public TimeSpan SaWindow { get; init; } = TimeSpan.MaxValue;

    public static bool IsSa(string type) => type.StartsWith("a-", StringComparison.Ordinal);

    public long[] ReceivedBy { get; } = new long[teams.Count];

    public long[] ExpectedBy { get; } = new long[teams.Count];

    public long[] SentBy { get; } = new long[teams.Count];

    public IReadOnlyList<Sent> Events => _sent;

    public void Originated(int node, CotEvent evt)
    {
        lock (gate) OriginatedLocked(node, evt);
    }

    public void Received(int node, CotEvent evt, CotSource source)
    {
        lock (gate) ReceivedLocked(node, evt, source);
    }

    private void OriginatedLocked(int node, CotEvent evt)
    {
        var at = now();
        var counted = at >= countFrom && at < countUntil;
        var expected = counted ? reachable(node) : new BitArray(teams.Count);
        var sent = new Sent(node, evt.Type, at, counted, expected, new BitArray(teams.Count));
        _byKey[DeviceProtocol.AckKey(evt)] = _sent.Count;
        _sent.Add(sent);
        if (!counted) return;
        SentBy[node]++;
        for (var i = 0; i < expected.Length; i++)
            if (expected[i])
                ExpectedBy[i]++;
    }

    private void ReceivedLocked(int node, CotEvent evt, CotSource source)
    {
        if (source.Kind != CotSourceKind.Mesh) return;
        if (!_byKey.TryGetValue(DeviceProtocol.AckKey(evt), out var index))
        {
            Unmatched++;
            return;
        }

        var sent = _sent[index];
        if (!string.Equals(teams[sent.Origin], teams[node], StringComparison.OrdinalIgnoreCase)) Leaks++;
        if (!sent.Counted || sent.Received[node]) return;
        sent.Received[node] = true;
        if (!sent.Expected[node]) return;
        Deliveries++;
        ReceivedBy[node]++;
        var latency = now() - sent.At;
        Latency.Add(latency);
        if (IsSa(sent.Type) && latency <= SaWindow) SaOnTime++;
        var hops = source.Hops ?? 0;
        if (!LatencyByHops.TryGetValue(hops, out var histogram)) LatencyByHops[hops] = histogram = new LatencyHistogram();
        histogram.Add(latency);
    }

    public long ExpectedDeliveries => ExpectedBy.Sum();

    public long Counted => _sent.Count(s => s.Counted);

    /// <summary>Counted events by kind (sa, chat, emergency, other).</summary>
    public IReadOnlyDictionary<string, long> CountedByKind() =>
        _sent.Where(s => s.Counted).GroupBy(s => KindOf(s.Type)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Count());

    private static string KindOf(string type) =>
        IsSa(type) ? "sa" : type.StartsWith("b-t-f", StringComparison.Ordinal) ? "chat" : type.StartsWith("b-a-o-", StringComparison.Ordinal) ? "emergency" : "other";

    /// <summary>Of the (self SA, expected receiver) pairs, the fraction delivered within <see cref="SaWindow"/>.</summary>
    public double? SaOnTimeRatio()
    {
        long expected = 0;
        foreach (var sent in _sent)
            if (sent.Counted && IsSa(sent.Type))
                for (var i = 0; i < sent.Expected.Length; i++)
                    if (sent.Expected[i])
                        expected++;
        return expected == 0 ? null : (double)SaOnTime / expected;
    }

    /// <summary>
    /// Of the (self SA, expected receiver) pairs, the fraction where the receiver had that SA or a newer one from the
    /// same sender within <paramref name="window"/> of its sending: a lost update is fine when the next one arrives.
    /// </summary>
    public double? FreshRatio(TimeSpan window)
    {
        long expected = 0, fresh = 0;
        foreach (var group in _sent.Where(s => IsSa(s.Type)).GroupBy(s => s.Origin))
        {
            var updates = group.OrderBy(s => s.At).ToArray();
            for (var k = 0; k < updates.Length; k++)
            {
                if (!updates[k].Counted) continue;
                for (var r = 0; r < updates[k].Expected.Length; r++)
                {
                    if (!updates[k].Expected[r]) continue;
                    expected++;
                    for (var m = k; m < updates.Length && updates[m].At <= updates[k].At + window; m++)
                        if (updates[m].Received[r])
                        {
                            fresh++;
                            break;
                        }
                }
            }
        }

        return expected == 0 ? null : (double)fresh / expected;
    }

    public sealed record Sent(int Origin, string Type, TimeSpan At, bool Counted, BitArray Expected, BitArray Received);
}
