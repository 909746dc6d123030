using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;track course speed/&gt;</c>: course in degrees true, speed in metres per second.</summary>
public sealed record Track : DetailElement
{
    public const string ElementName = "track";

    public override string Name => ElementName;

    public double? Course { get; init; }

    public double? Speed { get; init; }

    internal static Track Read(XmlNode node) => new()
    {
        Course = node.TakeDouble("course"),
        Speed = node.TakeDouble("speed"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("course", Course);
        xml.Attribute("speed", Speed);
    }
}
