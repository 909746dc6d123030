using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;precisionlocation geopointsrc altsrc/&gt;</c>: where position and altitude came from (GPS, USER, DTED0…).</summary>
public sealed record PrecisionLocation : DetailElement
{
    public const string ElementName = "precisionlocation";

    public override string Name => ElementName;

    public string? GeopointSource { get; init; }

    public string? AltitudeSource { get; init; }

    internal static PrecisionLocation Read(XmlNode node) => new()
    {
        GeopointSource = node.Take("geopointsrc"),
        AltitudeSource = node.Take("altsrc"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("geopointsrc", GeopointSource);
        xml.Attribute("altsrc", AltitudeSource);
    }
}
