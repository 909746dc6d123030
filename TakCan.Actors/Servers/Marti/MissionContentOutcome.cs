namespace TakCan.Actors.Servers.MartiApi;

public enum MissionContentOutcome
{
    /// <summary>Fetched, its SHA-256 matched, saved.</summary>
    Saved,

    /// <summary>Already in the content store from an earlier pull; not fetched again.</summary>
    AlreadyPresent,

    /// <summary>Not saved: see <see cref="MissionContentResult.Reason"/>.</summary>
    Refused,
}
