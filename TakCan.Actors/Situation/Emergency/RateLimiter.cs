namespace TakCan.Actors.Situation.Emergency;

/// <summary>
/// Sliding-window limits such as "1 per 5 s and 10 per 10 min": a request is allowed when, for every limit, fewer
/// than its count were allowed within its period before now. Pure and single-threaded (an actor owns it); the
/// caller passes the time, so tests and recovery replay it without a clock.
/// </summary>
public sealed class RateLimiter
{
    private readonly (int Count, TimeSpan Period)[] _limits;
    private readonly int _kept;
    private readonly List<DateTime> _allowed = new();

    /// <exception cref="ArgumentException">No limit, or a count below 1 or a period not above zero.</exception>
    public RateLimiter(params (int Count, TimeSpan Period)[] limits)
    {
        if (limits.Length == 0) throw new ArgumentException("at least one limit is needed", nameof(limits));
        foreach (var (count, period) in limits)
            if (count < 1 || period <= TimeSpan.Zero)
                throw new ArgumentException($"limit {count} per {period} is not a limit", nameof(limits));
        _limits = limits;
        _kept = limits.Max(static l => l.Count);
    }

    /// <summary>The times allowed that still matter, oldest first (for a snapshot).</summary>
    public IReadOnlyList<DateTime> Recent => _allowed;

    /// <summary>How long until a request would be allowed; zero when it is allowed now.</summary>
    /// <remarks>
    /// A recorded time later than <paramref name="now"/> (the clock went back) counts as now, so a clock change
    /// never blocks longer than one period.
    /// </remarks>
    public TimeSpan RetryAfter(DateTime now)
    {
        var wait = TimeSpan.Zero;
        foreach (var (count, period) in _limits)
        {
            if (_allowed.Count < count) continue;
            // The count-th most recent: once it leaves the period there is room for one more.
            var oldestThatCounts = _allowed[^count];
            if (oldestThatCounts > now) oldestThatCounts = now;
            var until = oldestThatCounts + period - now;
            if (until > wait) wait = until;
        }

        return wait;
    }

    /// <summary>Allows and records the request, or says how long to wait.</summary>
    public bool TryAcquire(DateTime now, out TimeSpan retryAfter)
    {
        retryAfter = RetryAfter(now);
        if (retryAfter > TimeSpan.Zero) return false;
        Record(now);
        return true;
    }

    /// <summary>Records a request allowed at <paramref name="at"/> (recovery replays them in order).</summary>
    public void Record(DateTime at)
    {
        var i = _allowed.Count;
        while (i > 0 && _allowed[i - 1] > at) i--;
        _allowed.Insert(i, at);
        if (_allowed.Count > _kept) _allowed.RemoveRange(0, _allowed.Count - _kept);
    }
}
