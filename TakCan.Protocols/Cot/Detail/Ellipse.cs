using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;ellipse major minor angle/&gt;</c>: semi-axes in metres, angle in degrees.</summary>
public sealed record Ellipse : DetailElement
{
    public const string ElementName = "ellipse";

    public override string Name => ElementName;

    public double? Major { get; init; }

    public double? Minor { get; init; }

    public double? Angle { get; init; }

    internal static Ellipse Read(XmlNode node) => new()
    {
        Major = node.TakeDouble("major"),
        Minor = node.TakeDouble("minor"),
        Angle = node.TakeDouble("angle"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("major", Major);
        xml.Attribute("minor", Minor);
        xml.Attribute("angle", Angle);
    }
}
