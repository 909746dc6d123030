using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;remarks source to time&gt;text&lt;/remarks&gt;</c>: free text; the message body of a GeoChat.</summary>
public sealed record Remarks : DetailElement
{
    public const string ElementName = "remarks";

    public override string Name => ElementName;

    public string? Source { get; init; }

    public string? To { get; init; }

    public string? Time { get; init; }

    public string? Content { get; init; }

    protected override string? Text => Content;

    internal static Remarks Read(XmlNode node) => new()
    {
        Source = node.Take("source"),
        To = node.Take("to"),
        Time = node.Take("time"),
        Content = node.Text,
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("source", Source);
        xml.Attribute("to", To);
        xml.Attribute("time", Time);
    }
}
