using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// A detail element TAK Can does not model, kept as the exact XML it arrived as (well-formed, checked on read)
/// so it reaches other TAK clients unchanged.
/// </summary>
public sealed record OpaqueElement : DetailElement
{
    public OpaqueElement(string name, string xml)
    {
        Name = name;
        Xml = xml;
    }

    public override string Name { get; }

    /// <summary>The element's complete XML, from its start tag to its end tag.</summary>
    public string Xml { get; }

    /// <summary>Builds an opaque element from XML text, checking that it is exactly one well-formed element.</summary>
    public static OpaqueElement Parse(string xml, CotXmlLimits? limits = null) =>
        CotXmlReader.ReadOpaqueElement(xml, limits ?? CotXmlLimits.Default);

    internal override void WriteTo(CotXmlBuilder xml) => xml.Raw(Xml);

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
    }
}
