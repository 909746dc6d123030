using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// <c>&lt;shape&gt;</c> of a drawn item: an <see cref="Ellipse"/> (circles, <c>u-d-c-c</c>) or a
/// <see cref="Polyline"/>; style links inside stay as other children.
/// </summary>
public sealed record Shape : DetailElement
{
    public const string ElementName = "shape";

    public override string Name => ElementName;

    public Ellipse? Ellipse { get; init; }

    public Polyline? Polyline { get; init; }

    protected override bool HasTypedChildren => Ellipse is not null || Polyline is not null;

    internal static Shape Read(XmlNode node) => new()
    {
        Ellipse = node.TakeChild(Ellipse.ElementName) is { } ellipse ? Ellipse.Read(ellipse) : null,
        Polyline = node.TakeChild(Polyline.ElementName) is { } polyline ? Polyline.Read(polyline) : null,
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
    }

    private protected override void WriteChildren(CotXmlBuilder xml)
    {
        Ellipse?.WriteTo(xml);
        Polyline?.WriteTo(xml);
    }
}
