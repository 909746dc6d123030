namespace TakCan.Protocols.Gps;

/// <summary>
/// One position from a location source (GPS receiver, gpsd, a replayed log, a fixed configured point).
/// Units are CoT's: degrees WGS84, metres, degrees true, metres per second.
/// </summary>
/// <param name="Time">When the fix was taken, UTC.</param>
/// <param name="Hae">Height above the WGS84 ellipsoid, when the source knows it.</param>
/// <param name="Course">Course over ground in degrees true (0–360).</param>
/// <param name="Speed">Speed over ground in metres per second.</param>
/// <param name="Ce">Horizontal (circular) error in metres.</param>
/// <param name="Source">
/// Where the position came from, in ATAK's <c>precisionlocation</c> vocabulary: <see cref="Gps"/> or <see cref="User"/>.
/// </param>
public sealed record LocationFix(
    DateTime Time,
    double Lat,
    double Lon,
    double? Hae = null,
    double? Course = null,
    double? Speed = null,
    double? Ce = null,
    string Source = LocationFix.Gps)
{
    /// <summary>A satellite fix.</summary>
    public const string Gps = "GPS";

    /// <summary>A position entered by the operator (configured, or placed by hand on the map).</summary>
    public const string User = "USER";

    /// <summary>True when latitude and longitude are finite and in range.</summary>
    public bool IsValid => IsValidPosition(Lat, Lon);

    public static bool IsValidPosition(double lat, double lon) =>
        double.IsFinite(lat) && double.IsFinite(lon) && lat is >= -90 and <= 90 && lon is >= -180 and <= 180;
}
