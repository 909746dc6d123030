namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Bounds on what the CoT XML reader accepts, so hostile input costs bounded memory and time.
/// Defaults are in specs/cot-xml.md and akka.hocon (<c>takcan.cot</c>).
/// </summary>
public sealed record CotXmlLimits
{
    public static CotXmlLimits Default { get; } = new();

    /// <summary>Largest event, declaration included, in bytes. A TCP stream buffers at most this much of one event.</summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    /// <summary>Deepest element nesting, counting <c>event</c> as 1 and <c>detail</c> as 2.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most attributes on one element.</summary>
    public int MaxAttributes { get; init; } = 256;
}
