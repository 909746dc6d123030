using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;status battery/&gt;</c>: the sending device's battery level in percent.</summary>
public sealed record Status : DetailElement
{
    public const string ElementName = "status";

    public override string Name => ElementName;

    public int? Battery { get; init; }

    internal static Status Read(XmlNode node) => new()
    {
        Battery = node.TakeInt("battery"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml) => xml.Attribute("battery", Battery);
}
