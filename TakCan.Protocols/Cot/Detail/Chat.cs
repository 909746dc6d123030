using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// <c>&lt;__chat&gt;</c> of a GeoChat message (<c>b-t-f</c>): the room, the sender and the participants
/// (<see cref="ChatGroup"/>). The text itself is in <see cref="Remarks"/>.
/// </summary>
public sealed record Chat : DetailElement
{
    public const string ElementName = "__chat";

    public override string Name => ElementName;

    /// <summary>Room shown to the user, e.g. "All Chat Rooms", a team name or a callsign.</summary>
    public string? Chatroom { get; init; }

    /// <summary>Room identifier: "All Chat Rooms", a group id, or the peer's uid for a direct message.</summary>
    public string? Id { get; init; }

    public string? Parent { get; init; }

    public bool? GroupOwner { get; init; }

    public string? MessageId { get; init; }

    public string? SenderCallsign { get; init; }

    public ChatGroup? ChatGroup { get; init; }

    protected override bool HasTypedChildren => ChatGroup is not null;

    internal static Chat Read(XmlNode node) => new()
    {
        Parent = node.Take("parent"),
        GroupOwner = node.TakeBool("groupOwner"),
        MessageId = node.Take("messageId"),
        Chatroom = node.Take("chatroom"),
        Id = node.Take("id"),
        SenderCallsign = node.Take("senderCallsign"),
        ChatGroup = node.TakeChild(ChatGroup.ElementName) is { } group ? ChatGroup.Read(group) : null,
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("parent", Parent);
        xml.Attribute("groupOwner", GroupOwner);
        xml.Attribute("messageId", MessageId);
        xml.Attribute("chatroom", Chatroom);
        xml.Attribute("id", Id);
        xml.Attribute("senderCallsign", SenderCallsign);
    }

    private protected override void WriteChildren(CotXmlBuilder xml) => ChatGroup?.WriteTo(xml);
}
