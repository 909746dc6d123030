using TakCan.Protocols.Cot;

namespace TakCan.Actors.Situation.Chat;

/// <summary>Messages of <see cref="ChatActor"/>.</summary>
public static class ChatProtocol
{
    public const string AllChatRooms = "All Chat Rooms";

    /// <summary>Send a chat line. <paramref name="Room"/>: "All Chat Rooms", a team name, or a contact uid (direct).</summary>
    public sealed record SendChat(string Room, string Text);

    /// <summary>Reply to <see cref="SendChat"/> once the message is persisted.</summary>
    public sealed record ChatAccepted(string MessageId);

    /// <summary>Reply to <see cref="SendChat"/> when it cannot be sent (empty text, text too long, unknown room).</summary>
    public sealed record ChatRejected(string Reason);

    public sealed record GetChatLog(string? Room = null);

    public sealed record ChatLog(IReadOnlyList<ChatMessage> Messages);

    public enum DeliveryState
    {
        Pending,
        Sent,
        Delivered,

        /// <summary>An incoming message.</summary>
        Received,
    }

    public sealed record ChatMessage(
        string MessageId,
        string Room,
        string SenderUid,
        string SenderCallsign,
        string Text,
        DateTime Time,
        DeliveryState State,
        IReadOnlyList<string> AcknowledgedBy);
}
