namespace TakCan.Protocols.Gps;

/// <summary>When to play each fix of a recorded log so that it looks live: the recorded gaps, scaled and bounded.</summary>
public static class ReplaySchedule
{
    /// <summary>Pause between the last fix of a pass and the first of the next, before speed-up.</summary>
    public static TimeSpan LoopGap { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each fix with the pause before it: the recorded gap, clamped to [0, <paramref name="maxGap"/>] (a log may
    /// jump back in time or pause for hours), divided by <paramref name="speedUp"/>. With <paramref name="loop"/>
    /// the sequence is endless; <paramref name="fixes"/> must then not be empty.
    /// </summary>
    public static IEnumerable<(LocationFix Fix, TimeSpan Delay)> Steps(
        IReadOnlyList<LocationFix> fixes, double speedUp, bool loop, TimeSpan maxGap)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedUp);
        if (loop && fixes.Count == 0) throw new ArgumentException("an empty log cannot loop", nameof(fixes));
        return Iterate();

        IEnumerable<(LocationFix Fix, TimeSpan Delay)> Iterate()
        {
            var firstPass = true;
            do
            {
                for (var i = 0; i < fixes.Count; i++)
                {
                    var gap = i > 0 ? fixes[i].Time - fixes[i - 1].Time : firstPass ? TimeSpan.Zero : LoopGap;
                    if (gap < TimeSpan.Zero) gap = TimeSpan.Zero;
                    if (gap > maxGap) gap = maxGap;
                    yield return (fixes[i], gap / speedUp);
                }

                firstPass = false;
            } while (loop);
        }
    }
}
