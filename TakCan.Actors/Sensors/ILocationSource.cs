using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// Where this device learns its own position. Linux has <see cref="FixedLocationSource"/>,
/// <see cref="GpxReplaySource"/>, <see cref="NmeaReplaySource"/> and <see cref="GpsdLocationSource"/>; a phone host
/// plugs in its platform location service (for example through <c>Source.Queue</c> or
/// <c>Source.From(Func&lt;IAsyncEnumerable&lt;LocationFix&gt;&gt;)</c>).
/// </summary>
public interface ILocationSource
{
    /// <summary>
    /// A fresh stream of fixes each time it is materialised, as they happen. It may complete (a log played once) or
    /// fail (an unreadable file); a source that can recover from a lost receiver does so itself.
    /// </summary>
    Source<LocationFix, NotUsed> Fixes();
}
