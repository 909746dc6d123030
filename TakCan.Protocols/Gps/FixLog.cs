namespace TakCan.Protocols.Gps;

/// <summary>What a GPS log (GPX, NMEA) yielded: its fixes in time order and how many entries were skipped.</summary>
/// <param name="Rejected">
/// Entries that could not be used: NMEA lines that are garbage, fail their checksum or have malformed fields;
/// GPX points without a time or with an impossible position.
/// </param>
public sealed record FixLog(IReadOnlyList<LocationFix> Fixes, int Rejected);
