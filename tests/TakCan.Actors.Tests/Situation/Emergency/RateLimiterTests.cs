using TakCan.Actors.Situation.Emergency;

namespace TakCan.Actors.Tests.Situation.Emergency;

public class RateLimiterTests
{
    private static readonly DateTime T0 = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    // specs/device.md: at most 1 raise or cancel per 5 s and 10 per 10 min.
    private static RateLimiter Device() => new((1, TimeSpan.FromSeconds(5)), (10, TimeSpan.FromMinutes(10)));

    [Fact]
    public void One_per_five_seconds()
    {
        var limiter = Device();

        Assert.True(limiter.TryAcquire(T0, out _));
        Assert.False(limiter.TryAcquire(T0.AddSeconds(1), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(4), wait);
        Assert.False(limiter.TryAcquire(T0.AddMilliseconds(4999), out wait));
        Assert.Equal(TimeSpan.FromMilliseconds(1), wait);
        Assert.True(limiter.TryAcquire(T0.AddSeconds(5), out wait));
        Assert.Equal(TimeSpan.Zero, wait);
    }

    [Fact]
    public void Ten_per_ten_minutes()
    {
        var limiter = Device();
        for (var i = 0; i < 10; i++) Assert.True(limiter.TryAcquire(T0.AddSeconds(5 * i), out _), $"request {i}");

        Assert.False(limiter.TryAcquire(T0.AddSeconds(50), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(550), wait);
        Assert.False(limiter.TryAcquire(T0.AddMinutes(10).AddTicks(-1), out _));
        Assert.True(limiter.TryAcquire(T0.AddMinutes(10), out _));
        // The window slides: the next is free once the second request is ten minutes old.
        Assert.False(limiter.TryAcquire(T0.AddMinutes(10).AddSeconds(5).AddTicks(-1), out wait));
        Assert.Equal(TimeSpan.FromTicks(1), wait);
        Assert.True(limiter.TryAcquire(T0.AddMinutes(10).AddSeconds(5), out _));
    }

    [Fact]
    public void Refused_requests_do_not_count()
    {
        var limiter = Device();
        Assert.True(limiter.TryAcquire(T0, out _));
        for (var i = 1; i < 50; i++) Assert.False(limiter.TryAcquire(T0.AddMilliseconds(i * 10), out _));

        Assert.True(limiter.TryAcquire(T0.AddSeconds(5), out _));
        Assert.Equal(new[] { T0, T0.AddSeconds(5) }, limiter.Recent);
    }

    [Fact]
    public void Recorded_times_replay_the_state_and_only_the_needed_ones_are_kept()
    {
        var limiter = Device();
        for (var i = 0; i < 15; i++) limiter.Record(T0.AddMinutes(i));

        Assert.Equal(10, limiter.Recent.Count);
        Assert.Equal(T0.AddMinutes(5), limiter.Recent[0]);
        Assert.Equal(TimeSpan.FromMinutes(1), limiter.RetryAfter(T0.AddMinutes(14)));
        Assert.Equal(TimeSpan.Zero, limiter.RetryAfter(T0.AddMinutes(15)));
    }

    [Fact]
    public void A_clock_that_went_back_blocks_for_at_most_one_period()
    {
        var limiter = Device();
        limiter.Record(T0.AddHours(1));

        Assert.Equal(TimeSpan.FromSeconds(5), limiter.RetryAfter(T0));
    }

    [Fact]
    public void Out_of_order_records_are_sorted()
    {
        var limiter = Device();
        limiter.Record(T0.AddSeconds(10));
        limiter.Record(T0);

        Assert.Equal(new[] { T0, T0.AddSeconds(10) }, limiter.Recent);
        Assert.Equal(TimeSpan.FromSeconds(3), limiter.RetryAfter(T0.AddSeconds(12)));
    }

    [Fact]
    public void Nonsense_limits_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RateLimiter());
        Assert.Throws<ArgumentException>(() => new RateLimiter((0, TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentException>(() => new RateLimiter((1, TimeSpan.Zero)));
    }
}
