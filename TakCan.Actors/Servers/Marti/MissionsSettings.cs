namespace TakCan.Actors.Servers.MartiApi;

/// <summary>Where a device keeps the missions it pulls, and how it talks to its servers' HTTPS API (specs/marti.md).</summary>
/// <param name="Directory">The content store, <c>&lt;data dir&gt;/missions</c>: one folder per mission, one file per hash.</param>
public sealed record MissionsSettings(string Directory)
{
    /// <summary>Timeouts and limits of every request; tests shrink the limits.</summary>
    public MartiClientOptions Client { get; init; } = MartiClientOptions.Default;
}
