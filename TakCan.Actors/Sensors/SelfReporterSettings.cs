using TakCan.Protocols.Cot.Builders;

namespace TakCan.Actors.Sensors;

/// <summary>
/// How often this device reports its own position (specs/device.md, "Self reporting"; ATAK's dynamic mesh rate).
/// </summary>
public sealed record SelfReporterSettings(SelfSaBuilder.Identity Identity)
{
    /// <summary>Report at least this often, moving or not.</summary>
    public TimeSpan StationaryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Never report more often than this, however fast the device moves.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Report when the position is this far (metres) from the last reported one.</summary>
    public double DistanceThreshold { get; init; } = 10;

    /// <summary>Report when the course differs this much (degrees) from the last reported one.</summary>
    public double HeadingThreshold { get; init; } = 15;

    /// <summary>
    /// Below this speed (m/s) a change of course is not a turn: a receiver standing still reports a course that
    /// wanders at random.
    /// </summary>
    public double MinSpeedForHeading { get; init; } = 0.5;

    /// <summary>The shortest stale time ever sent.</summary>
    public TimeSpan MinStale { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Stale = 3 × the reporting interval, at least <see cref="MinStale"/>. The stationary interval is the longest a
    /// listener waits for the next report, so it is the interval that counts.
    /// </summary>
    public TimeSpan Stale => TimeSpan.FromTicks(Math.Max(3 * StationaryInterval.Ticks, MinStale.Ticks));
}
