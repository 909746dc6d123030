namespace TakCan.Protocols.Gps;

/// <summary>
/// A GPS log (GPX, NMEA) that cannot be used as a whole: too large, not the format it claims, or refused for
/// safety (a GPX with a DTD). Single bad points or sentences are skipped and counted instead, never thrown.
/// </summary>
public sealed class GpsFormatException : Exception
{
    public GpsFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
