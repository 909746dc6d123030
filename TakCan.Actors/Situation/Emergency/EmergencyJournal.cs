namespace TakCan.Actors.Situation.Emergency;

/// <summary>
/// What <see cref="EmergencyActor"/> persists. A raise or cancel keeps exactly what <c>EmergencyBuilder</c> needs
/// to build the same event again, so every resend, before or after a restart, has the same uid and time and hence
/// the same acknowledgement key.
/// </summary>
public static class EmergencyJournal
{
    /// <param name="CotType">b-a-o-tbl, b-a-o-pan or b-a-o-opn.</param>
    /// <param name="Lifetime">Stale minus time, in milliseconds.</param>
    public sealed record EmergencyRaised(
        string CotType,
        string Uid,
        string Callsign,
        string SelfType,
        string How,
        DateTime Time,
        long Lifetime,
        double Lat,
        double Lon,
        double Hae,
        double Ce,
        double Le) : TakCan.Actors.Device.IJournalRecord;

    public sealed record EmergencyCancelled(
        string Uid,
        string Callsign,
        string How,
        DateTime Time,
        long Lifetime,
        double Lat,
        double Lon,
        double Hae,
        double Ce,
        double Le) : TakCan.Actors.Device.IJournalRecord;

    public sealed record EmergencyAcknowledged(string Key, string AckerUid, string AckerCallsign) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>The event under <paramref name="Key"/> went out again (counts sends across restarts).</summary>
    public sealed record EmergencyResent(string Key) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>One outbox entry: exactly one of <paramref name="Raised"/> and <paramref name="Cancelled"/> is set.</summary>
    public sealed record OutboxSnapshot(EmergencyRaised? Raised, EmergencyCancelled? Cancelled, int Sends, string[] AcknowledgedBy, bool Current);

    /// <param name="Requests">Times of recent raises and cancels, for the rate limit.</param>
    public sealed record EmergencySnapshot(OutboxSnapshot[] Outbox, DateTime[] Requests) : TakCan.Actors.Device.IJournalRecord;
}
