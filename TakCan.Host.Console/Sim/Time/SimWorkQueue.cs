using System.Collections.Concurrent;
using Akka.Dispatch;

namespace TakCan.Host.Console.Sim.Time;

/// <summary>
/// The simulation's one run queue: every mailbox run of every simulated actor and stream stage is queued here and
/// run, first in first out, by the <see cref="SimDriver"/> on its own thread. One thread and one order make a run
/// repeatable for a seed, and an empty queue tells the driver that the simulated world is idle, so the clock may move.
/// </summary>
public sealed class SimWorkQueue
{
    private static readonly ConcurrentDictionary<string, SimWorkQueue> Registry = new();
    private readonly ConcurrentQueue<IRunnable> _work = new();
    private long _foreign;

    private SimWorkQueue(string id) => Id = id;

    public string Id { get; }

    /// <summary>The thread that runs the queue; work queued from other threads arrived outside the simulation's order.</summary>
    public int DriverThread { get; set; } = -1;

    /// <summary>Work queued from a thread other than the driver's (task continuations, Akka's own threads).</summary>
    public long Foreign => Interlocked.Read(ref _foreign);

    public bool IsEmpty => _work.IsEmpty;

    public static SimWorkQueue Create()
    {
        var queue = new SimWorkQueue(Guid.NewGuid().ToString("N"));
        Registry[queue.Id] = queue;
        return queue;
    }

    /// <summary>The queue an executor configured with <paramref name="id"/> feeds (see <see cref="SimExecutorConfigurator"/>).</summary>
    public static SimWorkQueue Find(string id) =>
        Registry.TryGetValue(id, out var queue) ? queue : throw new InvalidOperationException($"no simulation work queue {id}");

    public void Release() => Registry.TryRemove(Id, out _);

    public void Enqueue(IRunnable run)
    {
        if (DriverThread != -1 && Environment.CurrentManagedThreadId != DriverThread) Interlocked.Increment(ref _foreign);
        _work.Enqueue(run);
    }

    /// <summary>Runs queued work until the queue is empty; returns how many items ran.</summary>
    public long RunUntilEmpty()
    {
        long ran = 0;
        while (_work.TryDequeue(out var run))
        {
            run.Run();
            ran++;
        }

        return ran;
    }
}
