namespace TakCan.Actors.Situation.Store;

/// <summary>
/// What <see cref="CotStoreActor"/> persists: plain records stored by <see cref="TakCan.Actors.Device.JournalSerializer"/>
/// under stable manifests. The event itself is CoT JSON (specs/cot-json.md), not a serialized model, so the model may
/// change. Add properties (nullable or defaulted) or new records; never rename a property.
/// </summary>
public static class CotStoreJournal
{
    /// <param name="Json">The event as CoT JSON.</param>
    /// <param name="SourceKind">A <c>CotSourceKind</c> name.</param>
    /// <param name="Received">When this device stored it (UTC).</param>
    public sealed record CotStored(string Json, string SourceKind, string SourceName, int? Hops, string? Node, DateTime Received) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>Every event up to and including sequence number <paramref name="UpToSequenceNr"/> has left the store.</summary>
    public sealed record CotPruned(long UpToSequenceNr) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>
    /// The index (sequence number and receive time of every kept event, oldest first), so that recovery does not
    /// read every stored event back.
    /// </summary>
    public sealed record CotStoreSnapshot(long[] SequenceNrs, long[] ReceivedTicks, long PrunedUpTo) : TakCan.Actors.Device.IJournalRecord;
}
