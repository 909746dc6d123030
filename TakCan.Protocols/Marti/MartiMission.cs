using TakCan.Protocols.Cot;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// A DataSync mission as <c>GET /Marti/api/missions</c> and <c>GET /Marti/api/missions/{name}</c> describe it (TAK
/// Server's <c>Mission</c>): its map items by uid and its files by hash. Fields TAK Can does not use are not kept.
/// </summary>
public sealed record MartiMission(string Name, string Description = "")
{
    public string? CreatorUid { get; init; }

    public DateTime? CreateTime { get; init; }

    /// <summary>The tool the mission belongs to; <c>public</c> for ordinary DataSync missions.</summary>
    public string? Tool { get; init; }

    public string? Guid { get; init; }

    public bool PasswordProtected { get; init; }

    public bool InviteOnly { get; init; }

    public EquatableArray<string> Keywords { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Uids of the map items (CoT) in the mission; <c>/missions/{name}/cot</c> gives their latest events.</summary>
    public EquatableArray<string> Uids { get; init; } = EquatableArray<string>.Empty;

    public EquatableArray<MartiMissionContent> Contents { get; init; } = EquatableArray<MartiMissionContent>.Empty;
}
