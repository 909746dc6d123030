using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;vertex lat lon hae/&gt;</c>: one corner of a polyline.</summary>
public sealed record Vertex : DetailElement
{
    public const string ElementName = "vertex";

    public override string Name => ElementName;

    public double? Lat { get; init; }

    public double? Lon { get; init; }

    public double? Hae { get; init; }

    internal static Vertex Read(XmlNode node) => new()
    {
        Lat = node.TakeDouble("lat"),
        Lon = node.TakeDouble("lon"),
        Hae = node.TakeDouble("hae"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("lat", Lat);
        xml.Attribute("lon", Lon);
        xml.Attribute("hae", Hae);
    }
}
