using Akka.Configuration;
using Akka.Dispatch;

namespace TakCan.Host.Console.Sim.Time;

/// <summary>
/// Akka executor (named by type in a dispatcher's <c>executor</c> setting) that hands every run to the
/// <see cref="SimWorkQueue"/> named by the dispatcher's <c>sim-queue</c> setting instead of a thread pool.
/// </summary>
public sealed class SimExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    public override ExecutorService Produce(string id) => new SimExecutor(id, SimWorkQueue.Find(Config.GetString("sim-queue")));

    private sealed class SimExecutor(string id, SimWorkQueue queue) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => queue.Enqueue(run);

        public override void Shutdown()
        {
        }
    }
}
