using TakCan.Actors.Mesh;

namespace TakCan.Actors.Device;

/// <summary>Everything DeviceRoot needs, read once from akka.hocon and the node config and passed down.</summary>
/// <param name="DataDirectory">Where the journal (takcan.db) and the node's files live.</param>
public sealed record DeviceSettings(DeviceIdentity Identity, MeshSettings Mesh, string DataDirectory)
{
    /// <summary>Retention of the CoT store.</summary>
    public TimeSpan StoreMaxAge { get; init; } = TimeSpan.FromDays(7);

    public int StoreMaxEvents { get; init; } = 100_000;
}
