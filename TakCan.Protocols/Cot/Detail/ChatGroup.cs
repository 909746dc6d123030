using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;chatgrp uid0 uid1 … id/&gt;</c> inside <c>__chat</c>: sender first, then the recipients or room.</summary>
public sealed record ChatGroup : DetailElement
{
    public const string ElementName = "chatgrp";

    public override string Name => ElementName;

    public string? Id { get; init; }

    /// <summary>Values of uid0, uid1, … in order.</summary>
    public EquatableArray<string> Uids { get; init; } = EquatableArray<string>.Empty;

    internal static ChatGroup Read(XmlNode node)
    {
        var uids = new List<string>(2);
        while (node.Take("uid" + uids.Count) is { } uid) uids.Add(uid);
        return new ChatGroup
        {
            Uids = new EquatableArray<string>(uids),
            Id = node.Take("id"),
            OtherAttributes = node.RestAttributes(),
            OtherChildren = node.RestChildren(),
        };
    }

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        for (var i = 0; i < Uids.Count; i++) xml.Attribute("uid" + i, Uids[i]);
        xml.Attribute("id", Id);
    }
}
