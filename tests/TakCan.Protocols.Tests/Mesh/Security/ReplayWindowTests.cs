using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

public class ReplayWindowTests
{
    private const ulong Size = ReplayWindow.Size;

    [Fact]
    public void In_order_counters_are_all_accepted_once()
    {
        var window = new ReplayWindow();

        for (ulong counter = 1; counter <= 5000; counter++) Assert.True(window.Mark(counter), $"counter {counter}");
        for (ulong counter = 5000 - Size + 1; counter <= 5000; counter++) Assert.False(window.Mark(counter), $"counter {counter} again");
    }

    [Fact]
    public void Out_of_order_counters_within_the_window_are_accepted_once()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(3000));
        var late = Enumerable.Range(0, (int)Size - 1).Select(i => 3000 - 1 - (ulong)i).ToArray();
        new Random(11).Shuffle(late);

        foreach (var counter in late) Assert.True(window.Mark(counter), $"late counter {counter}");
        foreach (var counter in late) Assert.False(window.Mark(counter), $"late counter {counter} again");
        Assert.False(window.Mark(3000));
    }

    [Fact]
    public void A_duplicate_of_the_highest_counter_is_refused()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(7));

        Assert.False(window.IsFresh(7));
        Assert.False(window.Mark(7));
        Assert.True(window.Mark(8));
        Assert.False(window.Mark(7));
    }

    [Fact]
    public void The_window_holds_exactly_Size_counters_ending_at_the_highest()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(5000));

        Assert.False(window.IsFresh(5000 - Size), "just below the window");
        Assert.False(window.Mark(5000 - Size));
        Assert.False(window.Mark(1));
        Assert.True(window.Mark(5000 - Size + 1), "oldest counter the window holds");
    }

    [Fact]
    public void A_huge_jump_forgets_everything_below_the_new_window()
    {
        var window = new ReplayWindow();
        for (ulong counter = 1; counter <= 100; counter++) window.Mark(counter);

        Assert.True(window.Mark(1_000_000_000_000));

        Assert.False(window.Mark(100));
        Assert.False(window.Mark(1_000_000_000_000 - Size));
        Assert.True(window.Mark(1_000_000_000_000 - Size + 1));
        Assert.True(window.Mark(999_999_999_999));
    }

    [Fact]
    public void A_jump_of_more_than_the_window_clears_bits_that_now_stand_for_new_counters()
    {
        // 10 and 2058 share a bit (2058 % 1024 == 10): after the jump the old mark must not make 2058 look seen.
        var window = new ReplayWindow();
        Assert.True(window.Mark(10));
        Assert.True(window.Mark(2 * Size + 15));

        Assert.True(window.IsFresh(2 * Size + 10));
        Assert.True(window.Mark(2 * Size + 10));
    }

    [Fact]
    public void A_small_jump_clears_only_the_bits_it_passes_over()
    {
        var window = new ReplayWindow();
        for (ulong counter = 0; counter < Size; counter++) Assert.True(window.Mark(counter));

        Assert.True(window.Mark(Size + 6));

        for (var counter = Size; counter < Size + 6; counter++) Assert.True(window.IsFresh(counter), $"skipped counter {counter}");
        for (ulong counter = 7; counter < Size; counter++) Assert.False(window.IsFresh(counter), $"seen counter {counter}");
        for (ulong counter = 0; counter <= 6; counter++) Assert.False(window.IsFresh(counter), $"counter {counter} below the window");
    }

    [Fact]
    public void Counter_zero_is_an_ordinary_counter()
    {
        var window = new ReplayWindow();

        Assert.True(window.Mark(0));
        Assert.False(window.Mark(0));
        Assert.True(window.Mark(1));
    }

    [Fact]
    public void Counter_zero_after_later_counters_is_accepted_while_in_the_window()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(5));

        Assert.True(window.Mark(0));
        Assert.False(window.Mark(0));
    }

    [Fact]
    public void The_largest_counter_works_as_first_and_as_a_jump()
    {
        var first = new ReplayWindow();
        Assert.True(first.Mark(ulong.MaxValue));
        Assert.False(first.Mark(ulong.MaxValue));
        Assert.True(first.Mark(ulong.MaxValue - 1));
        Assert.True(first.Mark(ulong.MaxValue - Size + 1));
        Assert.False(first.Mark(ulong.MaxValue - Size));
        Assert.False(first.Mark(0));

        var jump = new ReplayWindow();
        Assert.True(jump.Mark(0));
        Assert.True(jump.Mark(ulong.MaxValue));
        Assert.False(jump.Mark(0));
        Assert.False(jump.IsFresh(ulong.MaxValue));
    }

    [Fact]
    public void A_small_step_up_to_the_largest_counter_does_not_overflow()
    {
        var window = new ReplayWindow();
        Assert.True(window.Mark(ulong.MaxValue - 10));

        Assert.True(window.Mark(ulong.MaxValue));
        Assert.True(window.Mark(ulong.MaxValue - 5));
        Assert.False(window.Mark(ulong.MaxValue - 10));
    }

    [Fact]
    public void IsFresh_does_not_move_the_window()
    {
        var window = new ReplayWindow();
        Assert.True(window.IsFresh(1_000_000));
        Assert.True(window.IsFresh(1_000_000));
        Assert.True(window.Mark(3));

        for (var i = 0; i < 10; i++) Assert.True(window.IsFresh(1_000_000 + (ulong)i));

        Assert.True(window.Mark(1), "1 would be below the window had IsFresh moved it");
        Assert.True(window.IsFresh(2));
        Assert.False(window.IsFresh(3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Agrees_with_a_model_that_remembers_every_counter(int seed)
    {
        var random = new Random(seed);
        var window = new ReplayWindow();
        var seen = new HashSet<ulong>();
        ulong? highest = null;
        ulong next = 1;

        for (var i = 0; i < 20_000; i++)
        {
            // Mostly near the front, some late, some repeats, now and then a leap.
            var counter = random.Next(10) switch
            {
                < 5 => next++,
                < 8 => next - (ulong)Math.Min((long)next, random.Next(1, 1500)),
                8 => (ulong)random.NextInt64(0, (long)next + 1),
                _ => next += (ulong)random.Next(1, 3000),
            };
            var fresh = !seen.Contains(counter) && (highest is not { } h || counter > h || h - counter < Size);

            Assert.Equal(fresh, window.IsFresh(counter));
            Assert.Equal(fresh, window.Mark(counter));
            if (fresh)
            {
                seen.Add(counter);
                highest = highest is { } top ? Math.Max(top, counter) : counter;
            }
        }
    }
}
