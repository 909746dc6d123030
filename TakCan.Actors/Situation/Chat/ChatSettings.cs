namespace TakCan.Actors.Situation.Chat;

/// <summary>Limits and timings of <see cref="ChatActor"/> (specs/device.md, "Chat", "Persistence").</summary>
public sealed record ChatSettings
{
    public static ChatSettings Default { get; } = new();

    /// <summary>Journal and snapshot store (null: the actor system's defaults).</summary>
    public TakCan.Actors.Device.PersistencePlugins Plugins { get; init; } = TakCan.Actors.Device.PersistencePlugins.Default;

    /// <summary>First resend of an unacknowledged line; each later one waits twice as long, up to <see cref="MaxResend"/>.</summary>
    public TimeSpan FirstResend { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxResend { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest text accepted from this device, in characters.</summary>
    public int MaxTextLength { get; init; } = 4096;

    public int SnapshotEvery { get; init; } = 500;
}
