namespace TakCan.Actors.Sensors;

/// <summary>How a recorded log (GPX, NMEA) is played back.</summary>
/// <param name="SpeedUp">1 plays in recorded time, 10 ten times faster.</param>
/// <param name="Loop">Start again from the first fix after the last, for ever.</param>
public sealed record ReplaySettings(double SpeedUp = 1, bool Loop = true)
{
    public static ReplaySettings Default { get; } = new();

    /// <summary>
    /// Longest pause honoured between two recorded fixes (before speed-up). A track saved over several days, or
    /// with a receiver switched off for an hour, should not leave the device silent that long.
    /// </summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromMinutes(1);

    public double SpeedUp { get; init; } = SpeedUp > 0 && double.IsFinite(SpeedUp)
        ? SpeedUp
        : throw new ArgumentOutOfRangeException(nameof(SpeedUp), $"replay speed-up {SpeedUp} must be a positive number");
}
