using TakCan.Actors.Sensors;

namespace TakCan.Host.Console.Node;

/// <summary>The device's own position source named in the node config (a phone host uses its platform's instead).</summary>
public static class LocationSources
{
    /// <exception cref="InvalidDataException">An unknown source, or a replay source without a file.</exception>
    public static ILocationSource From(NodeConfig.LocationConfig location, string dataDirectory) => location.Source switch
    {
        "fixed" => new FixedLocationSource(location.Lat, location.Lon, location.Hae),
        "gpx" => new GpxReplaySource(FileOf(location, dataDirectory)),
        "nmea" => new NmeaReplaySource(FileOf(location, dataDirectory)),
        "gpsd" => new GpsdLocationSource(location.Host, location.Port),
        _ => throw new InvalidDataException($"location source '{location.Source}' is not one of fixed, gpx, nmea, gpsd"),
    };

    private static string FileOf(NodeConfig.LocationConfig location, string dataDirectory) =>
        location.File is { Length: > 0 } file
            ? Path.IsPathRooted(file) ? file : Path.Combine(dataDirectory, file)
            : throw new InvalidDataException($"location source '{location.Source}' needs a file");
}
