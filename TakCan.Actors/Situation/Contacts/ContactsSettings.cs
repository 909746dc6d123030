namespace TakCan.Actors.Situation.Contacts;

/// <summary>How <see cref="ContactsActor"/> keeps its journal and its picture (specs/device.md, "Contacts").</summary>
public sealed record ContactsSettings
{
    public static ContactsSettings Default { get; } = new();

    /// <summary>Journal and snapshot store (null: the actor system's defaults).</summary>
    public TakCan.Actors.Device.PersistencePlugins Plugins { get; init; } = TakCan.Actors.Device.PersistencePlugins.Default;

    /// <summary>A snapshot every this many events; events up to a saved snapshot are then deleted.</summary>
    public int SnapshotEvery { get; init; } = 500;

    /// <summary>How long a stale contact stays on the picture (marked stale) before it is removed.</summary>
    public TimeSpan RemoveAfterStale { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How often stale contacts are looked for.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);
}
