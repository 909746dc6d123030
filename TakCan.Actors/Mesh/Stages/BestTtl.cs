using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// The most ttl a recent message arrived with, for the relay's "a shorter way reaches further" rule: bounded to the
/// last <c>capacity</c> messages (oldest forgotten first), so memory stays flat whatever the traffic.
/// </summary>
internal sealed class BestTtl(int capacity)
{
    public const int DefaultCapacity = 4096;

    private readonly Dictionary<(NodeId, uint), byte> _best = new();
    private readonly Queue<(NodeId, uint)> _order = new();

    /// <summary>Records <paramref name="ttl"/> for <paramref name="key"/>; true when it is more than any seen before.</summary>
    public bool Improve((NodeId, uint) key, byte ttl)
    {
        if (_best.TryGetValue(key, out var best))
        {
            if (ttl <= best) return false;
            _best[key] = ttl;
            return true;
        }

        if (_best.Count >= capacity) _best.Remove(_order.Dequeue());
        _best[key] = ttl;
        _order.Enqueue(key);
        return true;
    }
}
