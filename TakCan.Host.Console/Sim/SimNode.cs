using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;

namespace TakCan.Host.Console.Sim;

/// <summary>One simulated device: who it is, its mesh settings (kept across restarts, as a phone keeps its identity),
/// its GPS, its counters, and the running device tree when it is up.</summary>
public sealed class SimNode(int index, string name, DeviceIdentity identity, MeshSettings mesh, SimLocation location, MeshCounters counters)
{
    public int Index { get; } = index;

    public string Name { get; } = name;

    public DeviceIdentity Identity { get; } = identity;

    public MeshSettings Mesh { get; } = mesh;

    public SimLocation Location { get; } = location;

    public MeshCounters Counters { get; } = counters;

    public IActorRef Device { get; set; } = ActorRefs.Nobody;

    public bool Up { get; set; }

    public int Restarts { get; set; }
}
