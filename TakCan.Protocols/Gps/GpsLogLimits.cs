namespace TakCan.Protocols.Gps;

/// <summary>Bounds on the GPS logs (GPX, NMEA) TAK Can reads, so a hostile or mistaken file costs bounded memory.</summary>
public sealed record GpsLogLimits
{
    public static GpsLogLimits Default { get; } = new();

    /// <summary>Largest file, in bytes (GPX characters). A day of 1 Hz NMEA RMC+GGA is about 13 MB.</summary>
    public long MaxBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Most fixes kept from one file.</summary>
    public int MaxFixes { get; init; } = 500_000;

    /// <summary>
    /// Longest NMEA line accepted. NMEA 0183 allows 82 characters; some receivers exceed that, nothing sensible
    /// reaches this.
    /// </summary>
    public int MaxNmeaLineLength { get; init; } = 256;
}
