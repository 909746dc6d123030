namespace TakCan.Actors.Servers.MartiApi;

/// <summary>What a pull did with one of the mission's contents.</summary>
/// <param name="Reason">Why it was refused (a bad hash, a size over the limit, a server error); null otherwise.</param>
public sealed record MissionContentResult(string Hash, string? Filename, MissionContentOutcome Outcome, string? Reason = null);
