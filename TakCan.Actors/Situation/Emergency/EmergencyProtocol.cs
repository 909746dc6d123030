using TakCan.Protocols.Cot;

namespace TakCan.Actors.Situation.Emergency;

/// <summary>Messages of <see cref="EmergencyActor"/>.</summary>
public static class EmergencyProtocol
{
    public enum EmergencyType
    {
        /// <summary>b-a-o-tbl, "911 Alert".</summary>
        Alert911,

        /// <summary>b-a-o-pan, "Ring The Bell".</summary>
        RingTheBell,

        /// <summary>b-a-o-opn, "In Contact".</summary>
        InContact,
    }

    public sealed record RaiseEmergency(EmergencyType Type);

    public sealed record CancelEmergency
    {
        public static CancelEmergency Instance { get; } = new();
    }

    /// <summary>Reply once the raise or cancel is persisted in the outbox.</summary>
    public sealed record EmergencyAccepted(string Key);

    /// <summary>Reply when the rate limit refuses a raise or cancel.</summary>
    public sealed record EmergencyRateLimited(TimeSpan RetryAfter);

    /// <summary>Reply to a cancel with nothing active.</summary>
    public sealed record NoActiveEmergency
    {
        public static NoActiveEmergency Instance { get; } = new();
    }

    public sealed record GetEmergencyState
    {
        public static GetEmergencyState Instance { get; } = new();
    }

    public sealed record EmergencyState(EmergencyType? Active, IReadOnlyList<OutboxEntry> Outbox, IReadOnlyList<IncomingEmergency> Incoming);

    /// <summary>A raise or cancel waiting for (or having had) acknowledgement.</summary>
    public sealed record OutboxEntry(string Key, string CotType, DateTime Time, int Sends, IReadOnlyList<string> AcknowledgedBy);

    /// <summary>An emergency another node raised (cleared when it is cancelled).</summary>
    public sealed record IncomingEmergency(string Uid, string Callsign, string CotType, string? EmergencyText, double Lat, double Lon, DateTime Time);
}
