using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;__video url uid&gt;&lt;ConnectionEntry …/&gt;&lt;/__video&gt;</c> of a video feed announcement (<c>b-i-v</c>).</summary>
public sealed record Video : DetailElement
{
    public const string ElementName = "__video";

    public override string Name => ElementName;

    public string? Url { get; init; }

    public string? Uid { get; init; }

    public ConnectionEntry? ConnectionEntry { get; init; }

    protected override bool HasTypedChildren => ConnectionEntry is not null;

    internal static Video Read(XmlNode node) => new()
    {
        Url = node.Take("url"),
        Uid = node.Take("uid"),
        ConnectionEntry = node.TakeChild(ConnectionEntry.ElementName) is { } entry ? ConnectionEntry.Read(entry) : null,
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("uid", Uid);
        xml.Attribute("url", Url);
    }

    private protected override void WriteChildren(CotXmlBuilder xml) => ConnectionEntry?.WriteTo(xml);
}
