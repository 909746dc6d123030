using TakCan.Actors.Device;

namespace TakCan.Actors.Situation.Store;

/// <summary>Retention and journal housekeeping of <see cref="CotStoreActor"/> (specs/device.md, "CoT store").</summary>
public sealed record CotStoreSettings
{
    public static CotStoreSettings Default { get; } = new();

    /// <summary>Journal and snapshot store (null: the actor system's defaults).</summary>
    public TakCan.Actors.Device.PersistencePlugins Plugins { get; init; } = TakCan.Actors.Device.PersistencePlugins.Default;

    /// <summary>Events received longer ago than this are pruned.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Beyond this many events the oldest are pruned.</summary>
    public int MaxCount { get; init; } = 100_000;

    /// <summary>How often the journal is pruned (and a snapshot considered).</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A snapshot of the index once at least this many events were persisted since the last one.</summary>
    public int SnapshotEvery { get; init; } = 500;

    /// <summary>The Akka.Persistence.Query plugin that reads stored events back from the journal.</summary>
    public string ReadJournalPluginId { get; init; } = DevicePersistence.ReadJournalPluginId;
}
