namespace TakCan.Actors.Bridge;

/// <summary>
/// Which way each recent CoT (uid and time) has gone through the bridge, for the echo rules of specs/bridge.md
/// ("No echo"): bounded by age and count, oldest forgotten first.
/// </summary>
internal sealed class RecentCot
{
    private readonly Dictionary<(string Uid, long Milliseconds), Seen> _seen = new();
    private readonly Queue<((string Uid, long Milliseconds) Key, DateTime At)> _order = new();
    private readonly TimeSpan _window;
    private readonly int _capacity;

    public RecentCot(TimeSpan window, int capacity)
    {
        _window = window;
        _capacity = capacity;
    }

    [Flags]
    public enum Seen
    {
        None = 0,

        /// <summary>Arrived from the mesh (from anyone).</summary>
        FromMesh = 1,

        /// <summary>Sent up to a server by this bridge.</summary>
        Uploaded = 2,

        /// <summary>Arrived from a server and waits to enter the mesh.</summary>
        Held = 4,

        /// <summary>Sent into the mesh by this bridge.</summary>
        Injected = 8,
    }

    public int Count => _seen.Count;

    public Seen Get(string uid, DateTime time, DateTime now)
    {
        Expire(now);
        return _seen.GetValueOrDefault(Key(uid, time));
    }

    public void Add(string uid, DateTime time, Seen how, DateTime now)
    {
        Expire(now);
        var key = Key(uid, time);
        if (_seen.TryGetValue(key, out var already))
        {
            _seen[key] = already | how;
            return;
        }

        _seen[key] = how;
        _order.Enqueue((key, now));
        while (_seen.Count > _capacity && _order.TryDequeue(out var oldest)) _seen.Remove(oldest.Key);
    }

    // CoT times travel with millisecond precision (XML and TAK protocol alike): compare them so.
    private static (string, long) Key(string uid, DateTime time) => (uid, time.ToUniversalTime().Ticks / TimeSpan.TicksPerMillisecond);

    private void Expire(DateTime now)
    {
        while (_order.TryPeek(out var oldest) && now - oldest.At > _window)
        {
            _order.Dequeue();
            _seen.Remove(oldest.Key);
        }
    }
}
