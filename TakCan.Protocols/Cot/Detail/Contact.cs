using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;contact callsign endpoint phone/&gt;</c>: who the event is from and how to reach them.</summary>
public sealed record Contact : DetailElement
{
    public const string ElementName = "contact";

    public override string Name => ElementName;

    public string? Callsign { get; init; }

    /// <summary>Where to reach the sender directly, e.g. <c>192.168.1.10:4242:tcp</c> or <c>*:-1:stcp</c> for via-server.</summary>
    public string? Endpoint { get; init; }

    public string? Phone { get; init; }

    internal static Contact Read(XmlNode node) => new()
    {
        Callsign = node.Take("callsign"),
        Endpoint = node.Take("endpoint"),
        Phone = node.Take("phone"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("endpoint", Endpoint);
        xml.Attribute("phone", Phone);
        xml.Attribute("callsign", Callsign);
    }
}
