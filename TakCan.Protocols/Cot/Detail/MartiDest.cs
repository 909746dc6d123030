using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;dest callsign uid mission/&gt;</c>: one addressee of a <see cref="Marti"/> delivery.</summary>
public sealed record MartiDest : DetailElement
{
    public const string ElementName = "dest";

    public override string Name => ElementName;

    public string? Callsign { get; init; }

    public string? Uid { get; init; }

    public string? Mission { get; init; }

    internal static MartiDest Read(XmlNode node) => new()
    {
        Callsign = node.Take("callsign"),
        Uid = node.Take("uid"),
        Mission = node.Take("mission"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("callsign", Callsign);
        xml.Attribute("uid", Uid);
        xml.Attribute("mission", Mission);
    }
}
