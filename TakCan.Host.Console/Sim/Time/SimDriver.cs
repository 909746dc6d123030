using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace TakCan.Host.Console.Sim.Time;

/// <summary>
/// Runs a simulation's actor system (specs/sim-report.md, "Virtual time"). In virtual time every simulated actor and
/// stream stage runs on the calling thread from one <see cref="SimWorkQueue"/>, and the clock jumps to the next due
/// timer whenever that queue is empty; in real time the system runs on thread pools and the clock is the wall clock.
/// A virtual-time driver must be used from the one thread that created it.
/// </summary>
public sealed class SimDriver
{
    private readonly SimWorkQueue? _queue;
    private readonly VirtualScheduler? _virtual;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly double? _maxSpeed;

    private SimDriver(ActorSystem system, SimWorkQueue? queue, double? maxSpeed)
    {
        System = system;
        _queue = queue;
        _virtual = system.Scheduler as VirtualScheduler;
        _maxSpeed = maxSpeed;
    }

    public ActorSystem System { get; }

    public bool IsVirtual => _virtual is not null;

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Now => _virtual?.Elapsed ?? _wall.Elapsed;

    public TimeSpan Wall => _wall.Elapsed;

    /// <summary>Work that reached the run queue from outside the driver thread (task continuations): 0 in a fully
    /// deterministic run.</summary>
    public long ForeignWork => _queue?.Foreign ?? 0;

    /// <summary>
    /// Starts an actor system named <paramref name="name"/> on <paramref name="config"/>. <paramref name="maxSpeed"/>
    /// caps virtual time at that many simulated seconds per wall second (for journals on disk, whose writes finish on
    /// other threads).
    /// </summary>
    public static SimDriver Start(string name, Config config, bool virtualTime, double? maxSpeed = null)
    {
        if (!virtualTime)
        {
            var real = ActorSystem.Create(name, config);
            // Akka's timer starts on first use and waits for its thread; hundreds of devices all scheduling their first
            // timers at once then starve the thread pool for tens of seconds. Start it now, alone.
            real.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });
            return new SimDriver(real, null, null);
        }
        var queue = SimWorkQueue.Create();
        var executor = $"\"{typeof(SimExecutorConfigurator).FullName}, {typeof(SimExecutorConfigurator).Assembly.GetName().Name}\"";
        var simulated = ConfigurationFactory.ParseString($$"""
            akka.scheduler.implementation = "{{typeof(VirtualScheduler).FullName}}, {{typeof(VirtualScheduler).Assembly.GetName().Name}}"
            akka.actor.default-dispatcher {
              executor = {{executor}}
              sim-queue = "{{queue.Id}}"
              throughput = 64
            }
            # The guardians start the devices: they must run in the simulation's order too.
            akka.actor.internal-dispatcher {
              type = Dispatcher
              executor = {{executor}}
              sim-queue = "{{queue.Id}}"
            }
            # Logging is outside the simulation (and must answer while ActorSystem.Create waits for it).
            takcan-sim-logging-dispatcher {
              type = Dispatcher
              executor = default-executor
            }
            akka.loggers-dispatcher = takcan-sim-logging-dispatcher
            akka.persistence.dispatchers.default-plugin-dispatcher {
              type = Dispatcher
              executor = {{executor}}
              sim-queue = "{{queue.Id}}"
            }
            akka.persistence.dispatchers.default-replay-dispatcher {
              type = Dispatcher
              executor = {{executor}}
              sim-queue = "{{queue.Id}}"
            }
            akka.persistence.dispatchers.default-stream-dispatcher {
              type = Dispatcher
              executor = {{executor}}
              sim-queue = "{{queue.Id}}"
            }
            """);
        // ActorSystem.Create waits for its logger, whose start is queued here: pump the queue meanwhile. Only Akka's own
        // actors exist yet, so this does not disturb the simulation's order.
        queue.DriverThread = -1;
        using var started = new CancellationTokenSource();
        var pump = Task.Run(() =>
        {
            while (!started.IsCancellationRequested)
                if (queue.RunUntilEmpty() == 0)
                    Thread.Sleep(1);
        });
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(name, simulated.WithFallback(config));
        }
        finally
        {
            started.Cancel();
            pump.Wait();
        }

        queue.DriverThread = Environment.CurrentManagedThreadId;
        return new SimDriver(system, queue, maxSpeed);
    }

    /// <summary>Runs the simulated world until <paramref name="until"/> (simulated time).</summary>
    public void RunUntil(TimeSpan until)
    {
        if (_virtual is null)
        {
            var wait = until - Now;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            return;
        }

        while (true)
        {
            Drain();
            var next = _virtual.NextDue;
            if (next is not { } due || due > until)
            {
                _virtual.AdvanceTo(until);
                Drain();
                return;
            }

            Pace(due);
            _virtual.AdvanceTo(due);
        }
    }

    /// <summary>Runs the simulated world until <paramref name="task"/> completes (asks of the simulated actors), moving
    /// simulated time on when nothing else is left to do; gives up after <paramref name="timeout"/> of simulated time.</summary>
    public T Await<T>(Task<T> task, TimeSpan timeout)
    {
        if (_virtual is null) return task.Wait(timeout) ? task.Result : throw new TimeoutException("simulation did not answer");
        var deadline = Now + timeout;
        while (!task.IsCompleted)
        {
            Drain();
            if (task.IsCompleted) break;
            var next = _virtual.NextDue;
            if (next is { } due && due <= deadline) _virtual.AdvanceTo(due);
            else if (!SpinForForeignWork(task)) throw new TimeoutException("simulation did not answer");
        }

        return task.GetAwaiter().GetResult();
    }

    public void Await(Task task, TimeSpan timeout) => Await(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskContinuationOptions.ExecuteSynchronously), timeout);

    /// <summary>Runs queued work until the world is idle. Work finishing on other threads (a journal on disk) is given a
    /// moment to arrive before the clock may move.</summary>
    private void Drain()
    {
        while (true)
        {
            _queue!.RunUntilEmpty();
            // With a journal on disk a write's continuation may be in flight on the thread pool: yield once so it
            // can land before time moves. In memory everything completes on this thread.
            if (_maxSpeed is null) return;
            Thread.Yield();
            if (_queue.IsEmpty) return;
        }
    }

    private bool SpinForForeignWork(Task task)
    {
        var spin = Stopwatch.StartNew();
        while (spin.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (!_queue!.IsEmpty || task.IsCompleted) return true;
            Thread.Sleep(1);
        }

        return false;
    }

    private void Pace(TimeSpan due)
    {
        if (_maxSpeed is not { } speed) return;
        var wallDue = TimeSpan.FromSeconds(due.TotalSeconds / speed);
        while (_wall.Elapsed < wallDue)
        {
            if (!_queue!.IsEmpty) Drain();
            else Thread.Sleep(1);
        }
    }

    public void Shutdown()
    {
        // Stopping thousands of devices at once tears their link streams down mid-flight, which Akka logs as errors;
        // the run is over and reported, so the logging bus is muted (a level above Error unsubscribes every level).
        System.EventStream.SetLogLevel(LogLevel.ErrorLevel + 1);
        var terminated = System.Terminate();
        if (_virtual is null)
        {
            terminated.Wait(TimeSpan.FromSeconds(30));
            return;
        }

        try
        {
            Await(terminated, TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException)
        {
            // Shutdown is best effort: the report is already complete.
        }
        finally
        {
            _queue!.Release();
        }
    }
}
