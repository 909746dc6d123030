namespace TakCan.Protocols.Cot;

/// <summary>
/// One Cursor-on-Target event, the unit everything in TAK Can exchanges. Immutable; times are UTC.
/// </summary>
public sealed record CotEvent
{
    public string Version { get; init; } = "2.0";

    public required string Uid { get; init; }

    /// <summary>CoT type, e.g. <c>a-f-G-U-C</c> (friendly ground unit) or <c>b-t-f</c> (GeoChat).</summary>
    public required string Type { get; init; }

    /// <summary>How the position was obtained, e.g. <c>m-g</c> (GPS) or <c>h-e</c> (entered by hand).</summary>
    public string How { get; init; } = "";

    public required DateTime Time { get; init; }

    public required DateTime Start { get; init; }

    public required DateTime Stale { get; init; }

    public string? Access { get; init; }

    public string? Qos { get; init; }

    public string? Opex { get; init; }

    public CotPoint Point { get; init; } = CotPoint.Zero;

    public CotDetail Detail { get; init; } = CotDetail.Empty;

    public bool IsStaleAt(DateTime utcNow) => utcNow >= Stale;
}
