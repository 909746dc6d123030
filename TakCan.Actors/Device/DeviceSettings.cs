using TakCan.Actors.Mesh;

namespace TakCan.Actors.Device;

/// <summary>Everything DeviceRoot needs, read once from akka.hocon and the node config and passed down.</summary>
/// <param name="DataDirectory">Where the journal (takcan.db) and the node's files live.</param>
public sealed record DeviceSettings(DeviceIdentity Identity, MeshSettings Mesh, string DataDirectory)
{
    /// <summary>Retention of the CoT store.</summary>
    public TimeSpan StoreMaxAge { get; init; } = TimeSpan.FromDays(7);

    public int StoreMaxEvents { get; init; } = 100_000;

    /// <summary>The mesh's counters, when the host keeps them across restarts of the device (the simulator); else the
    /// mesh keeps its own.</summary>
    public TakCan.Actors.Mesh.MeshCounters? MeshCounters { get; init; }
}
