using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;takv device platform os version/&gt;</c>: the TAK software that sent the event.</summary>
public sealed record Takv : DetailElement
{
    public const string ElementName = "takv";

    public override string Name => ElementName;

    public string? Device { get; init; }

    public string? Platform { get; init; }

    public string? Os { get; init; }

    public string? Version { get; init; }

    internal static Takv Read(XmlNode node) => new()
    {
        Device = node.Take("device"),
        Platform = node.Take("platform"),
        Os = node.Take("os"),
        Version = node.Take("version"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("os", Os);
        xml.Attribute("version", Version);
        xml.Attribute("device", Device);
        xml.Attribute("platform", Platform);
    }
}
