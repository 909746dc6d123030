using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// Replays an NMEA 0183 log (RMC and GGA sentences, <see cref="NmeaReader"/>), honouring the recorded times. Bad
/// lines are skipped; the file is read when the stream starts.
/// </summary>
public sealed class NmeaReplaySource(string path, ReplaySettings? replay = null, GpsLogLimits? limits = null) : ILocationSource
{
    public string Path { get; } = path;

    public ReplaySettings Replay { get; } = replay ?? ReplaySettings.Default;

    public Source<LocationFix, NotUsed> Fixes() =>
        FixReplay.Play(() => NmeaReader.Read(Path, limits), Replay, $"NMEA log {Path}");
}
