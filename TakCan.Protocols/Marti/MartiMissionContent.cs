using TakCan.Protocols.Cot;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// One file of a mission (TAK Server's <c>Resource</c>, from a mission's <c>contents[].data</c>), fetched by its
/// <see cref="Hash"/> with <c>GET /Marti/sync/content?hash=</c>.
/// </summary>
/// <param name="Hash">The SHA-256 of the bytes as the server sent it; check it with <see cref="MartiContentHash.IsSha256"/> before use.</param>
public sealed record MartiMissionContent(string Hash, string? Filename = null, long? Size = null, string? MimeType = null)
{
    /// <summary>The content's display name (often the file name).</summary>
    public string? Name { get; init; }

    /// <summary>The uid TAK Server gave the content.</summary>
    public string? Uid { get; init; }

    public string? CreatorUid { get; init; }

    public DateTime? SubmissionTime { get; init; }

    public EquatableArray<string> Keywords { get; init; } = EquatableArray<string>.Empty;
}
