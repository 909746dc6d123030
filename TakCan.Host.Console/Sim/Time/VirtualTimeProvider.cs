using Akka.Actor;

namespace TakCan.Host.Console.Sim.Time;

/// <summary>The simulation's clock for the parts of a device that ask a <see cref="TimeProvider"/> (contacts, CoT store):
/// the actor system scheduler's time, virtual or real.</summary>
public sealed class VirtualTimeProvider(IScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;
}
