namespace TakCan.Protocols.Cot.Builders;

/// <summary>What a GeoChat event says, as <see cref="GeoChatReader"/> reads it.</summary>
/// <param name="RoomId">"All Chat Rooms", a team or group id, or (direct) the recipient's uid.</param>
/// <param name="RoomName">The room as the sender's TAK client showed it (for a direct message: the recipient's callsign).</param>
/// <param name="Participants">The <c>chatgrp</c> uids: sender first, then recipients (or the room id).</param>
public sealed record GeoChatMessage(
    string MessageId,
    string RoomId,
    string RoomName,
    string SenderUid,
    string SenderCallsign,
    string Text,
    DateTime Time,
    EquatableArray<string> Participants);
