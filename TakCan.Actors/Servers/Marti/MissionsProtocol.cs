using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// DataSync missions of the device's configured servers (specs/marti.md, "Pull into the node"). The commands go to
/// the device's <c>servers</c> part (<see cref="ServersActor"/>), which knows each server's address and credentials;
/// each is answered with its own message or a <see cref="MissionRefused"/>.
/// </summary>
public static class MissionsProtocol
{
    /// <summary>TAK Server keeps mission names in a database column; nothing real comes near this.</summary>
    public const int MaxMissionNameLength = 1024;

    /// <summary>Why <paramref name="mission"/> cannot be asked for, or null when it can.</summary>
    public static string? MissionNameProblem(string? mission) => mission switch
    {
        null or "" => "mission is required: the mission's name, as the server lists it",
        // As a path segment, a dot segment would be resolved away and the request would reach another endpoint.
        "." or ".." => $"'{mission}' is not a mission name",
        _ when mission.Length > MaxMissionNameLength => $"a mission name of {mission.Length} characters is longer than the {MaxMissionNameLength} TAK Can asks for",
        _ when mission.Any(char.IsControl) => "a mission name cannot hold control characters",
        _ => null,
    };

    /// <summary>A question about a configured server's missions.</summary>
    /// <remarks><see cref="Server"/> null: the one configured server (refused when there are none or several).</remarks>
    public abstract record MissionCommand(string? Server);

    /// <summary>Ask for a <see cref="MissionList"/>.</summary>
    public sealed record ListMissions(string? Server) : MissionCommand(Server);

    /// <summary>The missions the device's certificate may see, as the server describes them.</summary>
    public sealed record MissionList(string Server, IReadOnlyList<MartiMission> Missions);

    /// <summary>Subscribe this device to a mission; the token is kept (specs/marti.md, "Subscription and token").</summary>
    public sealed record SubscribeMission(string? Server, string Mission) : MissionCommand(Server);

    /// <summary>Subscribed; the token is kept in the key store under <paramref name="TokenName"/>, never shown.</summary>
    public sealed record MissionSubscribed(string Server, string Mission, string? Role, string TokenName);

    /// <summary>
    /// Fetch a mission: its events go to the device (contacts, CoT store) from <see cref="MissionsService.SourceOf"/>,
    /// its contents to <paramref name="Mission"/>'s folder of the content store once their hash verifies.
    /// </summary>
    public sealed record PullMission(string? Server, string Mission) : MissionCommand(Server);

    /// <param name="Directory">The folder the mission's contents are kept in, one file per hash.</param>
    public sealed record MissionPulled(string Server, MissionPullResult Result, string Directory);

    /// <summary>A mission command was not carried out.</summary>
    public sealed record MissionRefused(MissionRefusal Reason, string Message);

    public enum MissionRefusal
    {
        /// <summary>The mission name cannot be asked for (empty, a dot segment, control characters).</summary>
        Invalid,

        /// <summary>No server of that name is configured, or none was named and there is not exactly one.</summary>
        UnknownServer,

        /// <summary>The server is configured but its API cannot be used (no client certificate, unreadable credentials).</summary>
        Unusable,

        /// <summary>The server does not know the mission (HTTP 404).</summary>
        UnknownMission,

        /// <summary>The server refused, could not be reached or trusted, or answered something TAK Can does not take.</summary>
        ServerFailed,

        /// <summary>A content could not be written to the content store.</summary>
        NotSaved,
    }
}
