namespace TakCan.Actors.Device;

/// <summary>
/// Which Akka.Persistence journal and snapshot store a device's situation actors write to: the system's defaults
/// (null), or named plugins, so devices with different stores can share one actor system (the simulator keeps most
/// devices in memory and a few on SQLite).
/// </summary>
public sealed record PersistencePlugins(string? Journal = null, string? Snapshot = null)
{
    public static PersistencePlugins Default { get; } = new();
}
