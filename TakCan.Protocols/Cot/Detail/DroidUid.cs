using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;uid Droid/&gt;</c>: the callsign ATAK repeats in its self SA.</summary>
public sealed record DroidUid : DetailElement
{
    public const string ElementName = "uid";

    public override string Name => ElementName;

    public string? Droid { get; init; }

    internal static DroidUid Read(XmlNode node) => new()
    {
        Droid = node.Take("Droid"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml) => xml.Attribute("Droid", Droid);
}
