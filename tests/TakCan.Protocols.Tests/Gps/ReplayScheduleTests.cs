using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Tests.Gps;

public class ReplayScheduleTests
{
    private static readonly DateTime T0 = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static LocationFix At(double seconds) => new(T0.AddSeconds(seconds), 1, 1);

    [Fact]
    public void Honours_recorded_gaps_scaled_by_the_speed_up()
    {
        var steps = ReplaySchedule.Steps([At(0), At(5), At(7.5)], speedUp: 2, loop: false, TimeSpan.FromMinutes(1)).ToArray();

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(1.25)], steps.Select(s => s.Delay));
    }

    [Fact]
    public void Loops_with_a_short_pause_between_passes()
    {
        var steps = ReplaySchedule.Steps([At(0), At(5)], 1, loop: true, TimeSpan.FromMinutes(1)).Take(5).ToArray();

        Assert.Equal([0.0, 5, 1, 5, 1], steps.Select(s => s.Delay.TotalSeconds));
        Assert.Equal([0.0, 5, 0, 5, 0], steps.Select(s => (s.Fix.Time - T0).TotalSeconds));
    }

    [Fact]
    public void Bounds_long_pauses_and_ignores_time_going_backwards()
    {
        var steps = ReplaySchedule.Steps([At(0), At(7200), At(7100)], 1, loop: false, TimeSpan.FromMinutes(1)).ToArray();

        Assert.Equal([0.0, 60, 0], steps.Select(s => s.Delay.TotalSeconds));
    }

    [Fact]
    public void An_empty_log_cannot_loop_for_ever()
    {
        Assert.Throws<ArgumentException>(() => ReplaySchedule.Steps([], 1, loop: true, TimeSpan.FromMinutes(1)));
        Assert.Empty(ReplaySchedule.Steps([], 1, loop: false, TimeSpan.FromMinutes(1)));
    }
}
