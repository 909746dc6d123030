namespace TakCan.Actors.Situation.Contacts;

/// <summary>Messages of <see cref="ContactsActor"/> (besides <c>DeviceProtocol.CotReceived</c>, which feeds it).</summary>
public static class ContactsProtocol
{
    public sealed record GetContacts
    {
        public static GetContacts Instance { get; } = new();
    }

    /// <summary>Reply to <see cref="GetContacts"/>: every known contact, stale ones marked.</summary>
    public sealed record ContactList(IReadOnlyList<Contact> Contacts);


    /// <summary>One person or unit on the picture.</summary>
    public sealed record Contact(
        string Uid,
        string Callsign,
        string Type,
        string? Team,
        string? Role,
        double Lat,
        double Lon,
        double Hae,
        double? Course,
        double? Speed,
        DateTime LastSeen,
        DateTime Stale,
        IReadOnlyList<string> Sources,
        double? DistanceMeters,
        double? BearingDegrees,
        bool IsStale,
        int? Hops = null);
}
