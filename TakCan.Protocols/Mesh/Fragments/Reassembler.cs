namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>
/// Puts one link's fragments back together: any order, duplicates ignored, bounded in partial messages,
/// bytes and time (specs/mesh.md, "Fragment"). Asks for missing fragments with NACKs on quiet gaps.
/// Not thread-safe: one per link, owned by that link's stream stage.
/// </summary>
public sealed class Reassembler
{
    private const int RecentlyCompleted = 64;

    private readonly ReassemblyLimits _limits;
    private readonly Dictionary<uint, Partial> _partials = new();
    private readonly Queue<uint> _completedOrder = new();
    private readonly HashSet<uint> _completed = new();

    public Reassembler(ReassemblyLimits? limits = null) => _limits = limits ?? ReassemblyLimits.Default;

    public int PartialCount => _partials.Count;

    /// <summary>Bytes held in partial messages, never more than MaxPartialMessages × MaxMessageBytes.</summary>
    public long BufferedBytes { get; private set; }

    public ReassemblyOutcome Accept(FragmentHeader header, ReadOnlySpan<byte> payload, TimeSpan now, out byte[]? message, out MeshDropReason drop)
    {
        message = null;
        drop = default;
        if (header.Kind != FragmentHeader.DataKind || header.Index >= header.Count || payload.IsEmpty)
            return Dropped(MeshDropReason.FragmentInvalid, out drop);
        if (header.Count == 1)
        {
            if (payload.Length > _limits.MaxMessageBytes) return Dropped(MeshDropReason.ReassemblyTooLarge, out drop);
            message = payload.ToArray();
            return ReassemblyOutcome.Complete;
        }

        if (_completed.Contains(header.MessageId)) return ReassemblyOutcome.Duplicate;
        if (!_partials.TryGetValue(header.MessageId, out var partial))
        {
            // A full fragment times the count bounds the message before anything is stored.
            if ((long)payload.Length * (header.Count - 1) > _limits.MaxMessageBytes)
                return Dropped(MeshDropReason.ReassemblyTooLarge, out drop);
            if (_partials.Count >= _limits.MaxPartialMessages) EvictOldest();
            partial = new Partial(header.Count, now);
            _partials[header.MessageId] = partial;
        }
        else if (partial.Count != header.Count)
        {
            Remove(header.MessageId, partial);
            return Dropped(MeshDropReason.FragmentInvalid, out drop);
        }

        if (partial.Pieces[header.Index] is not null) return ReassemblyOutcome.Duplicate;
        if (partial.Bytes + payload.Length > _limits.MaxMessageBytes)
        {
            Remove(header.MessageId, partial);
            return Dropped(MeshDropReason.ReassemblyTooLarge, out drop);
        }

        partial.Pieces[header.Index] = payload.ToArray();
        partial.Received++;
        partial.Bytes += payload.Length;
        partial.LastSeen = now;
        partial.NacksSent = 0;
        BufferedBytes += payload.Length;
        if (partial.Received < partial.Count) return ReassemblyOutcome.Pending;

        message = new byte[partial.Bytes];
        var at = 0;
        foreach (var piece in partial.Pieces)
        {
            piece!.CopyTo(message, at);
            at += piece!.Length;
        }

        Remove(header.MessageId, partial);
        RememberCompleted(header.MessageId);
        return ReassemblyOutcome.Complete;
    }

    /// <summary>Drops partial messages silent for longer than the timeout; returns how many.</summary>
    public int Expire(TimeSpan now)
    {
        List<uint>? expired = null;
        foreach (var (id, partial) in _partials)
            if (now - partial.LastSeen >= _limits.Timeout)
                (expired ??= new List<uint>()).Add(id);
        if (expired is null) return 0;
        foreach (var id in expired) Remove(id, _partials[id]);
        return expired.Count;
    }

    /// <summary>NACK frames for partial messages whose gaps have been quiet long enough (doubling each time).</summary>
    public IReadOnlyList<byte[]> DueNacks(TimeSpan now)
    {
        List<byte[]>? nacks = null;
        foreach (var (id, partial) in _partials)
        {
            if (partial.NacksSent >= _limits.MaxNacks) continue;
            var quiet = _limits.NackDelay * (1 << partial.NacksSent);
            if (now - partial.LastSeen < quiet || now - partial.LastNack < quiet) continue;
            var missing = Enumerable.Range(0, partial.Count).Where(i => partial.Pieces[i] is null);
            (nacks ??= new List<byte[]>()).Add(Fragmenter.Nack(id, (byte)partial.Count, missing));
            partial.NacksSent++;
            partial.LastNack = now;
        }

        return (IReadOnlyList<byte[]>?)nacks ?? [];
    }

    private void EvictOldest()
    {
        var oldest = _partials.MinBy(p => p.Value.FirstSeen);
        Remove(oldest.Key, oldest.Value);
        Evicted++;
    }

    /// <summary>Partial messages dropped to make room for newer ones.</summary>
    public long Evicted { get; private set; }

    private void Remove(uint id, Partial partial)
    {
        _partials.Remove(id);
        BufferedBytes -= partial.Bytes;
    }

    private void RememberCompleted(uint id)
    {
        if (!_completed.Add(id)) return;
        _completedOrder.Enqueue(id);
        if (_completedOrder.Count > RecentlyCompleted) _completed.Remove(_completedOrder.Dequeue());
    }

    private static ReassemblyOutcome Dropped(MeshDropReason reason, out MeshDropReason drop)
    {
        drop = reason;
        return ReassemblyOutcome.Dropped;
    }

    private sealed class Partial(int count, TimeSpan now)
    {
        public int Count { get; } = count;

        public byte[]?[] Pieces { get; } = new byte[count][];

        public int Received { get; set; }

        public int Bytes { get; set; }

        public TimeSpan FirstSeen { get; } = now;

        public TimeSpan LastSeen { get; set; } = now;

        public TimeSpan LastNack { get; set; } = TimeSpan.MinValue / 2;

        public int NacksSent { get; set; }
    }
}
