using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;marti&gt;&lt;dest callsign/&gt;…&lt;/marti&gt;</c>: addressed delivery — a TAK Server sends the event only to these.</summary>
public sealed record Marti : DetailElement
{
    public const string ElementName = "marti";

    public override string Name => ElementName;

    public EquatableArray<MartiDest> Destinations { get; init; } = EquatableArray<MartiDest>.Empty;

    protected override bool HasTypedChildren => !Destinations.IsEmpty;

    internal static Marti Read(XmlNode node) => new()
    {
        Destinations = new EquatableArray<MartiDest>(node.TakeChildren(MartiDest.ElementName).Select(MartiDest.Read)),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
    }

    private protected override void WriteChildren(CotXmlBuilder xml)
    {
        foreach (var dest in Destinations) dest.WriteTo(xml);
    }
}
