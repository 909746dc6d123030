namespace TakCan.Actors.Ui;

/// <summary>Limits of <see cref="UiActor"/> (specs/device.md, "UI fan-out").</summary>
/// <param name="QueueCapacity">Events each subscriber may have waiting; beyond it the oldest is dropped and counted.</param>
/// <param name="ActorWindow">Events an actor subscriber may have unacknowledged at once.</param>
public sealed record UiSettings(int QueueCapacity = 1024, int ActorWindow = 16)
{
    public static UiSettings Default { get; } = new();
}
