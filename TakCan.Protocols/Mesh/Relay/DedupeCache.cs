namespace TakCan.Protocols.Mesh.Relay;

/// <summary>
/// The (origin, sequence) pairs a node has seen, bounded in entries and in time (specs/mesh.md, "Dedupe"),
/// with the links each was heard from, so a relay skips neighbours that already have a message.
/// </summary>
public sealed class DedupeCache
{
    public const int DefaultCapacity = 16_384;
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromMinutes(10);

    private readonly int _capacity;
    private readonly TimeSpan _retention;
    private readonly Dictionary<(NodeId Origin, uint Sequence), Entry> _entries;
    private readonly Queue<((NodeId Origin, uint Sequence) Key, TimeSpan At)> _order = new();

    public DedupeCache(int capacity = DefaultCapacity, TimeSpan? retention = null)
    {
        _capacity = capacity;
        _retention = retention ?? DefaultRetention;
        _entries = new Dictionary<(NodeId, uint), Entry>(Math.Min(capacity, 1024));
    }

    public int Count => _entries.Count;

    /// <summary>
    /// Records that (origin, sequence) was heard on <paramref name="link"/>. True the first time (deliver and relay);
    /// false for a duplicate.
    /// </summary>
    public bool TryAdd(NodeId origin, uint sequence, int link, TimeSpan now, out IReadOnlyList<int> heardFrom)
    {
        Evict(now);
        var key = (origin, sequence);
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Add(link);
            heardFrom = entry.Links;
            return false;
        }

        entry = new Entry(link);
        _entries[key] = entry;
        _order.Enqueue((key, now));
        heardFrom = entry.Links;
        return true;
    }

    /// <summary>Links a message was heard from, while it is remembered.</summary>
    public IReadOnlyList<int> HeardFrom(NodeId origin, uint sequence) =>
        _entries.TryGetValue((origin, sequence), out var entry) ? entry.Links : [];

    private void Evict(TimeSpan now)
    {
        while (_order.Count > 0 && (_order.Count >= _capacity || now - _order.Peek().At > _retention))
            _entries.Remove(_order.Dequeue().Key);
    }

    private sealed class Entry(int first)
    {
        // A message is heard from a handful of neighbours at most; keeping 8 bounds the entry's size.
        private const int MaxLinks = 8;
        private readonly List<int> _links = [first];

        public IReadOnlyList<int> Links => _links;

        public void Add(int link)
        {
            if (_links.Count < MaxLinks && !_links.Contains(link)) _links.Add(link);
        }
    }
}
