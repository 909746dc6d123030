using TakCan.Protocols.Cot;

namespace TakCan.Actors.Servers;

/// <summary>
/// The last event delivered per uid, so that what a TAK Server replays after a reconnect (the latest SA of every
/// contact, mission items) does not reach the device a second time. Only exact repeats are suppressed (same uid,
/// type and time); anything newer or different is delivered. Bounded: the uid first seen longest ago is forgotten first.
/// </summary>
internal sealed class RecentServerEvents
{
    private readonly int _capacity;
    private readonly Dictionary<string, (string Type, DateTime Time)> _latest = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public RecentServerEvents(int capacity) => _capacity = capacity;

    /// <summary>Records <paramref name="evt"/>; false when it repeats the last event delivered for its uid.</summary>
    public bool IsNew(CotEvent evt)
    {
        if (_capacity == 0) return true;
        if (_latest.TryGetValue(evt.Uid, out var last))
        {
            if (last.Type == evt.Type && last.Time == evt.Time) return false;
            _latest[evt.Uid] = (evt.Type, evt.Time);
            return true;
        }

        // Every uid in the map is queued exactly once, when first recorded.
        if (_latest.Count >= _capacity) _latest.Remove(_order.Dequeue());

        _latest[evt.Uid] = (evt.Type, evt.Time);
        _order.Enqueue(evt.Uid);
        return true;
    }
}
