using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// Bounds on what the CoT JSON reader accepts, so hostile input costs bounded memory and time (specs/cot-json.md, "Limits").
/// </summary>
public sealed record CotJsonLimits
{
    public const int DefaultMaxEventBytes = 1024 * 1024;

    public static CotJsonLimits Default { get; } = new();

    /// <summary>Largest event (one line, or one element of an array) in bytes.</summary>
    public int MaxEventBytes { get; init; } = DefaultMaxEventBytes;

    /// <summary>Deepest nesting of objects and arrays within one event; the format itself needs 7.</summary>
    public int MaxDepth { get; init; } = 16;

    /// <summary>
    /// Limits for the XML carried in <c>xml</c> and <c>otherChildren</c>, applied at the depth the element will have
    /// inside <c>&lt;event&gt;</c>, so every event this reader accepts can be written as XML and read back.
    /// </summary>
    public CotXmlLimits Xml { get; init; } = CotXmlLimits.Default;
}
