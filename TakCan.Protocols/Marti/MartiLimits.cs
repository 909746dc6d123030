using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// Bounds on what TAK Can reads from a Marti API, so a hostile or broken server costs bounded memory and time
/// (specs/marti.md, "Limits"). Every answer is refused as a whole when it breaks one.
/// </summary>
public sealed record MartiLimits
{
    public static MartiLimits Default { get; } = new();

    /// <summary>Largest JSON answer (groups, missions, subscription), in bytes.</summary>
    public int MaxJsonBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Deepest JSON nesting; a mission list is about 7 deep.</summary>
    public int MaxJsonDepth { get; init; } = 32;

    public int MaxGroups { get; init; } = 1024;

    public int MaxMissions { get; init; } = 10_000;

    /// <summary>Most contents (files) of one mission.</summary>
    public int MaxContents { get; init; } = 10_000;

    /// <summary>Most map-item uids of one mission.</summary>
    public int MaxUids { get; init; } = 100_000;

    /// <summary>Most keywords of one mission or content.</summary>
    public int MaxKeywords { get; init; } = 1_000;

    /// <summary>Longest subscription token (TAK Server's are JWTs of a few hundred characters).</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>Largest mission CoT answer (<c>&lt;events&gt;</c>), in bytes.</summary>
    public int MaxCotBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Most events in one mission CoT answer, good and bad together.</summary>
    public int MaxCotEvents { get; init; } = 50_000;

    /// <summary>Limits for each event of the mission CoT.</summary>
    public CotXmlLimits Cot { get; init; } = CotXmlLimits.Default;

    /// <summary>Largest content (file) fetched by hash, in bytes; it is held in memory to verify its hash.</summary>
    public long MaxContentBytes { get; init; } = 64L * 1024 * 1024;
}
