using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// Replays the timed track and way points of a GPX file (<see cref="GpxReader"/>), honouring the recorded time gaps.
/// The file is read when the stream starts; an unreadable file fails the stream with a
/// <see cref="GpsFormatException"/> or the IO error.
/// </summary>
public sealed class GpxReplaySource(string path, ReplaySettings? replay = null, GpsLogLimits? limits = null) : ILocationSource
{
    public string Path { get; } = path;

    public ReplaySettings Replay { get; } = replay ?? ReplaySettings.Default;

    public Source<LocationFix, NotUsed> Fixes() =>
        FixReplay.Play(() => GpxReader.Read(Path, limits), Replay, $"GPX file {Path}");
}
