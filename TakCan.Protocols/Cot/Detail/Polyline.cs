using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;polyline closed&gt;&lt;vertex lat lon hae/&gt;…&lt;/polyline&gt;</c> inside a shape.</summary>
public sealed record Polyline : DetailElement
{
    public const string ElementName = "polyline";

    public override string Name => ElementName;

    public bool? Closed { get; init; }

    public EquatableArray<Vertex> Vertices { get; init; } = EquatableArray<Vertex>.Empty;

    protected override bool HasTypedChildren => !Vertices.IsEmpty;

    internal static Polyline Read(XmlNode node) => new()
    {
        Closed = node.TakeBool("closed"),
        Vertices = new EquatableArray<Vertex>(node.TakeChildren(Vertex.ElementName).Select(Vertex.Read)),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml) => xml.Attribute("closed", Closed);

    private protected override void WriteChildren(CotXmlBuilder xml)
    {
        foreach (var vertex in Vertices) vertex.WriteTo(xml);
    }
}
