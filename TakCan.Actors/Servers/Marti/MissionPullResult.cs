using TakCan.Protocols.Cot;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// What <see cref="MissionsService.PullAsync"/> fetched: the mission's events (all given to the device), how many could
/// not be read, and each content's outcome.
/// </summary>
/// <param name="Mission">The mission's name as the server spells it.</param>
/// <param name="EventProblems">Why the first few bad events could not be read.</param>
public sealed record MissionPullResult(
    string Mission,
    EquatableArray<CotEvent> Events,
    int BadEvents,
    EquatableArray<string> EventProblems,
    EquatableArray<MissionContentResult> Contents)
{
    public int Saved => Contents.Count(c => c.Outcome == MissionContentOutcome.Saved);

    public int AlreadyPresent => Contents.Count(c => c.Outcome == MissionContentOutcome.AlreadyPresent);

    public int Refused => Contents.Count(c => c.Outcome == MissionContentOutcome.Refused);
}
