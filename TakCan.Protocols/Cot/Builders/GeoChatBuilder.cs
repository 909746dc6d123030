using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// Builds outgoing GeoChat (<c>b-t-f</c>) events the way ATAK does (specs/device.md, "Chat"), so ATAK and WinTAK
/// show them in the right room and answer in the same thread. A pure function: the same arguments give the same
/// event, which is what lets a resend after a restart carry the same acknowledgement key.
/// </summary>
public static class GeoChatBuilder
{
    public const string CotType = "b-t-f";

    /// <summary>ATAK's room for everyone on the network.</summary>
    public const string AllChatRooms = "All Chat Rooms";

    /// <summary>ATAK's <c>__chat parent</c> for the top of its contact tree.</summary>
    public const string RootContactGroup = "RootContactGroup";

    /// <summary>ATAK's <c>remarks source</c> prefix; ATAK's reply path reads the sender uid back from it.</summary>
    public const string SourcePrefix = "BAO.F.ATAK.";

    /// <summary>"h-g-i-g-o": ATAK's how for a chat line (placed by a human, position from the device).</summary>
    public const string How = "h-g-i-g-o";

    /// <summary>ATAK keeps a chat line for a day.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromDays(1);

    /// <summary>
    /// A GeoChat line: uid <c>GeoChat.&lt;sender uid&gt;.&lt;room id&gt;.&lt;message id&gt;</c>, <c>__chat</c> with its
    /// <c>chatgrp</c>, a <c>p-p</c> link to the sender and the text in <c>remarks</c>.
    /// </summary>
    /// <param name="senderType">The sender's own CoT type (e.g. <c>a-f-G-U-C</c>), carried by the link.</param>
    /// <param name="roomId">"All Chat Rooms", a team name, or the recipient's uid for a direct message.</param>
    /// <param name="roomName">What ATAK shows as the room: the same as the id, or the recipient's callsign.</param>
    /// <param name="now">Event time; CoT carries milliseconds, so it is truncated to them.</param>
    /// <param name="recipientUid">Direct message: the recipient (chatgrp uid1); defaults to <paramref name="roomId"/>.</param>
    public static CotEvent Build(
        string senderUid,
        string senderCallsign,
        string senderType,
        string roomId,
        string roomName,
        string text,
        string messageId,
        DateTime now,
        CotPoint position,
        string? recipientUid = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(senderUid);
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(text);

        var time = TruncateToMilliseconds(now);
        var stamp = CotTime.Format(time);
        var chat = new Chat
        {
            Parent = RootContactGroup,
            GroupOwner = false,
            MessageId = messageId,
            Chatroom = string.IsNullOrEmpty(roomName) ? roomId : roomName,
            Id = roomId,
            SenderCallsign = senderCallsign,
            ChatGroup = new ChatGroup { Uids = new[] { senderUid, recipientUid ?? roomId }, Id = roomId },
        };
        return new CotEvent
        {
            Uid = Uid(senderUid, roomId, messageId),
            Type = CotType,
            How = How,
            Time = time,
            Start = time,
            Stale = time + Lifetime,
            Point = position,
            Detail = new CotDetail(
            [
                chat,
                new Link { Uid = senderUid, Type = senderType, Relation = "p-p" },
                new Remarks { Source = SourcePrefix + senderUid, To = roomId, Time = stamp, Content = text },
            ]),
        };
    }

    public static string Uid(string senderUid, string roomId, string messageId) => $"GeoChat.{senderUid}.{roomId}.{messageId}";

    /// <summary>UTC with whole milliseconds, what a CoT time (XML or TAK Protocol) can carry.</summary>
    internal static DateTime TruncateToMilliseconds(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
