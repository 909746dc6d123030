using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;__group name role/&gt;</c>: team colour (e.g. Cyan) and role (e.g. Team Member, Team Lead).</summary>
public sealed record Group : DetailElement
{
    public const string ElementName = "__group";

    public override string Name => ElementName;

    /// <summary>The team, named by its colour.</summary>
    public string? Team { get; init; }

    public string? Role { get; init; }

    internal static Group Read(XmlNode node) => new()
    {
        Team = node.Take("name"),
        Role = node.Take("role"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("role", Role);
        xml.Attribute("name", Team);
    }
}
