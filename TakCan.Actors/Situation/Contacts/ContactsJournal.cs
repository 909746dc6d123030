namespace TakCan.Actors.Situation.Contacts;

/// <summary>
/// What <see cref="ContactsActor"/> persists: plain records stored by <see cref="TakCan.Actors.Device.JournalSerializer"/>
/// under stable manifests. Add properties (nullable or defaulted) or new records; never rename a property.
/// </summary>
public static class ContactsJournal
{
    /// <summary>An SA event of <paramref name="Uid"/> arrived from <paramref name="Source"/> (a <c>CotSource.Name</c>).</summary>
    /// <param name="Time">The event's own time: the contact's last seen, and which of two reports is newer.</param>
    /// <param name="Hops">Mesh relays the report took (0: from a neighbour); null when it did not come over the mesh.</param>
    public sealed record ContactSeen(
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
        DateTime Time,
        DateTime Stale,
        string Source,
        int? Hops = null) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>The contact had been stale for longer than <see cref="ContactsSettings.RemoveAfterStale"/>.</summary>
    public sealed record ContactRemoved(string Uid) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>Every contact, saved every <see cref="ContactsSettings.SnapshotEvery"/> events.</summary>
    public sealed record ContactsSnapshot(IReadOnlyList<ContactState> Contacts) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>One contact as the actor holds it: the newest report and every source it came from.</summary>
    public sealed record ContactState(
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
        int? Hops = null);
}
