namespace TakCan.Actors.Situation.Emergency;

/// <summary>Timings and limits of <see cref="EmergencyActor"/> (specs/device.md, "Emergency").</summary>
public sealed record EmergencySettings
{
    public static EmergencySettings Default { get; } = new();

    /// <summary>Journal and snapshot store (null: the actor system's defaults).</summary>
    public TakCan.Actors.Device.PersistencePlugins Plugins { get; init; } = TakCan.Actors.Device.PersistencePlugins.Default;

    /// <summary>First resend of an unacknowledged raise or cancel; each later one waits twice as long, up to <see cref="MaxResend"/>.</summary>
    public TimeSpan FirstResend { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxResend { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Once acknowledged, an active alert is still repeated this often (ATAK repeats alerts).</summary>
    public TimeSpan RepeatWhileActive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most one raise or cancel per this interval …</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>… and at most <see cref="MaxPerWindow"/> per <see cref="Window"/>.</summary>
    public int MaxPerWindow { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stale time of the events sent; ATAK uses 10 s.</summary>
    public TimeSpan EventLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CoT <c>how</c> of the events sent (ATAK copies its self marker's: <c>h-e</c> by hand, <c>m-g</c> GPS).</summary>
    public string How { get; init; } = "h-e";

    /// <summary>Finished outbox entries (acknowledged, no longer repeated) kept for <see cref="EmergencyProtocol.GetEmergencyState"/>.</summary>
    public int FinishedKept { get; init; } = 10;

    public int SnapshotEvery { get; init; } = 500;
}
