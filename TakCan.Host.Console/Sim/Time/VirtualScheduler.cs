using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace TakCan.Host.Console.Sim.Time;

/// <summary>
/// Akka's scheduler on a simulated clock (specs/sim-report.md, "Virtual time"): nothing fires by itself; the
/// <see cref="SimDriver"/> moves the clock to the next due timer once every actor and stream stage is idle. Actor
/// timers, stream stage timers (relay delays, reassembly, handshakes), self reporting and the radio's airtime all
/// go through here, so a ten-minute scenario runs as fast as the work in it.
/// </summary>
/// <remarks>
/// Timers due at the same instant fire in the order they were scheduled, which keeps a run deterministic for a seed.
/// Akka's own system actors may schedule from other threads, hence the lock.
/// </remarks>
public sealed class VirtualScheduler : SchedulerBase
{
    /// <summary>The wall-clock instant virtual time 0 stands for (fixed, so CoT times repeat from run to run).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly PriorityQueue<Timer, (TimeSpan Due, long Order)> _timers = new();
    // Ticks, read without the lock: the mesh reads the clock on every frame.
    private long _now;
    private long _order;

    public VirtualScheduler(Config config, ILoggingAdapter log) : base(config, log)
    {
    }

    /// <summary>Virtual time since the start of the simulation.</summary>
    public TimeSpan Elapsed => new(Volatile.Read(ref _now));

    public override TimeSpan MonotonicClock => Elapsed;

    public override TimeSpan HighResMonotonicClock => Elapsed;

    protected override DateTimeOffset TimeNow => Epoch + Elapsed;

    /// <summary>When the next timer is due, if any.</summary>
    public TimeSpan? NextDue
    {
        get
        {
            lock (_gate)
            {
                while (_timers.TryPeek(out var timer, out var key))
                {
                    if (!timer.Cancelled) return key.Due;
                    _timers.Dequeue();
                }

                return null;
            }
        }
    }

    /// <summary>
    /// Moves the clock to <paramref name="due"/> (never backwards) and fires every timer due by then, in order.
    /// Returns how many fired.
    /// </summary>
    public int AdvanceTo(TimeSpan due)
    {
        var fired = 0;
        while (true)
        {
            Timer timer;
            lock (_gate)
            {
                if (!_timers.TryPeek(out timer!, out var key) || key.Due > due)
                {
                    if (due.Ticks > _now) Volatile.Write(ref _now, due.Ticks);
                    return fired;
                }

                _timers.Dequeue();
                if (key.Due.Ticks > _now) Volatile.Write(ref _now, key.Due.Ticks);
                if (timer.Cancelled) continue;
                if (timer.Interval is { } interval) Enqueue(timer, Elapsed + interval);
            }

            timer.Fire();
            fired++;
        }
    }

    private void Enqueue(Timer timer, TimeSpan due) => _timers.Enqueue(timer, (due, _order++));

    private void Schedule(TimeSpan delay, TimeSpan? interval, Action fire, ICancelable? cancelable)
    {
        lock (_gate) Enqueue(new Timer(fire, interval, cancelable), Elapsed + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay));
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, null, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message,
        IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Schedule(delay, null, action, cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Schedule(delay, null, action.Run, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, interval, action.Run, cancelable);

    private sealed class Timer(Action fire, TimeSpan? interval, ICancelable? cancelable)
    {
        public TimeSpan? Interval { get; } = interval;

        public bool Cancelled => cancelable?.IsCancellationRequested == true;

        public void Fire() => fire();
    }
}
