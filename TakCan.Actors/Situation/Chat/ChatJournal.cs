namespace TakCan.Actors.Situation.Chat;

/// <summary>
/// What <see cref="ChatActor"/> persists. Small records of strings and numbers: an outgoing line keeps exactly what
/// <c>GeoChatBuilder</c> needs to build the same event again, so a resend after a restart has the same uid and
/// time, hence the same acknowledgement key.
/// </summary>
public static class ChatJournal
{
    /// <param name="RecipientUid">Direct message: the recipient, whose ack alone delivers it; null for a room.</param>
    public sealed record ChatSent(
        string MessageId,
        string Room,
        string? RecipientUid,
        string SenderUid,
        string SenderCallsign,
        string SenderType,
        string Text,
        DateTime Time,
        double Lat,
        double Lon,
        double Hae,
        double Ce,
        double Le) : TakCan.Actors.Device.IJournalRecord;

    /// <param name="Room">The room from this device's side: for a direct message, the sender's uid.</param>
    public sealed record ChatReceived(string MessageId, string Room, string SenderUid, string SenderCallsign, string Text, DateTime Time) : TakCan.Actors.Device.IJournalRecord;

    public sealed record ChatAcknowledged(string MessageId, string AckerUid, string AckerCallsign) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>The whole log, in order. Exactly one of <paramref name="Sent"/> and <paramref name="Received"/> is set.</summary>
    public sealed record ChatSnapshotEntry(ChatSent? Sent, ChatReceived? Received, string[] AcknowledgedBy, bool Delivered);

    public sealed record ChatSnapshot(ChatSnapshotEntry[] Entries) : TakCan.Actors.Device.IJournalRecord;
}
