using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// <c>&lt;_flow-tags_ NAME="time"/&gt;</c>: each TAK Server or gateway an event passed through stamps an attribute;
/// the attributes are the tags, in order.
/// </summary>
public sealed record FlowTags : DetailElement
{
    public const string ElementName = "_flow-tags_";

    public override string Name => ElementName;

    public EquatableArray<CotAttribute> Tags => OtherAttributes;

    internal static FlowTags Read(XmlNode node) => new()
    {
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
    }
}
