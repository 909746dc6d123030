using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// <c>&lt;link uid type relation callsign point/&gt;</c>: a relation to another item — the parent of a marker
/// (<c>relation="p-p"</c>), a route's waypoints in order (<c>point="lat,lon,hae"</c>), a chat's sender.
/// </summary>
public sealed record Link : DetailElement
{
    public const string ElementName = "link";

    public override string Name => ElementName;

    public string? Uid { get; init; }

    public string? Type { get; init; }

    public string? Relation { get; init; }

    public string? Callsign { get; init; }

    /// <summary>A route waypoint as <c>lat,lon[,hae]</c>.</summary>
    public string? Point { get; init; }

    public string? ParentCallsign { get; init; }

    public string? ProductionTime { get; init; }

    public string? Remarks { get; init; }

    internal static Link Read(XmlNode node) => new()
    {
        Uid = node.Take("uid"),
        Type = node.Take("type"),
        Relation = node.Take("relation"),
        Callsign = node.Take("callsign"),
        Point = node.Take("point"),
        ParentCallsign = node.Take("parent_callsign"),
        ProductionTime = node.Take("production_time"),
        Remarks = node.Take("remarks"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("uid", Uid);
        xml.Attribute("type", Type);
        xml.Attribute("relation", Relation);
        xml.Attribute("callsign", Callsign);
        xml.Attribute("point", Point);
        xml.Attribute("parent_callsign", ParentCallsign);
        xml.Attribute("production_time", ProductionTime);
        xml.Attribute("remarks", Remarks);
    }
}
