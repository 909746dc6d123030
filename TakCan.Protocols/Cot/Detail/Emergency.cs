using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// <c>&lt;emergency type="911 Alert" cancel="true"&gt;CALLSIGN&lt;/emergency&gt;</c> as ATAK sends with
/// <c>b-a-o-tbl</c> (911), <c>b-a-o-pan</c> (ring the bell), <c>b-a-o-opn</c> (in contact) and <c>b-a-o-can</c> (cancel).
/// </summary>
public sealed record Emergency : DetailElement
{
    public const string ElementName = "emergency";

    public override string Name => ElementName;

    /// <summary>e.g. "911 Alert", "Ring The Bell", "In Contact", "Geo-fence Breached".</summary>
    public string? Type { get; init; }

    public bool? Cancel { get; init; }

    /// <summary>The callsign in distress, carried as the element's text.</summary>
    public string? Callsign { get; init; }

    protected override string? Text => Callsign;

    internal static Emergency Read(XmlNode node) => new()
    {
        Type = node.Take("type"),
        Cancel = node.TakeBool("cancel"),
        Callsign = node.Text,
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("cancel", Cancel);
        xml.Attribute("type", Type);
    }
}
