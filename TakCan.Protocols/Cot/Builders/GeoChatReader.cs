using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// Reads the room, sender, text and message id of an incoming <c>b-t-f</c>. TAK clients fill these in unevenly
/// (WinTAK, iTAK and plugins leave some out), so every field has the fallbacks ATAK's own reader uses:
/// the message id from the event uid, the sender from <c>chatgrp uid0</c>, the <c>p-p</c> link or the remarks
/// source, the room from <c>chatgrp id</c> or <c>remarks to</c>.
/// </summary>
public static class GeoChatReader
{
    public static bool IsGeoChat(CotEvent evt) => evt.Type == GeoChatBuilder.CotType;

    /// <returns>False when the event is not a GeoChat line or lacks a sender, a room or a message id.</returns>
    public static bool TryRead(CotEvent evt, out GeoChatMessage message)
    {
        message = null!;
        if (!IsGeoChat(evt)) return false;
        var detail = evt.Detail;
        var chat = detail.Chat;
        var remarks = detail.Remarks;
        var group = chat?.ChatGroup;

        var senderUid = FirstNonEmpty(
            group is { Uids.Count: > 0 } ? group.Uids[0] : null,
            detail.Links.FirstOrDefault(static l => l.Relation == "p-p")?.Uid,
            remarks?.Source is { } source && source.StartsWith(GeoChatBuilder.SourcePrefix, StringComparison.Ordinal)
                ? source[GeoChatBuilder.SourcePrefix.Length..]
                : null);
        var roomId = FirstNonEmpty(chat?.Id, group?.Id, remarks?.To);
        var messageId = FirstNonEmpty(chat?.MessageId, MessageIdFromUid(evt.Uid));
        if (senderUid is null || roomId is null || messageId is null) return false;

        message = new GeoChatMessage(
            messageId,
            roomId,
            FirstNonEmpty(chat?.Chatroom) ?? roomId,
            senderUid,
            FirstNonEmpty(chat?.SenderCallsign) ?? senderUid,
            remarks?.Content ?? "",
            evt.Time,
            group?.Uids ?? EquatableArray<string>.Empty);
        return true;
    }

    // GeoChat.<sender uid>.<room id>.<message id>: message ids are UUIDs (no dots), so the last segment.
    private static string? MessageIdFromUid(string uid)
    {
        if (!uid.StartsWith("GeoChat.", StringComparison.Ordinal)) return null;
        var dot = uid.LastIndexOf('.');
        return dot > "GeoChat.".Length - 1 && dot < uid.Length - 1 ? uid[(dot + 1)..] : null;
    }

    private static string? FirstNonEmpty(params string?[] values)
    {
        foreach (var value in values)
            if (!string.IsNullOrWhiteSpace(value))
                return value;
        return null;
    }
}
