using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// A position from configuration: emitted at once, then again every <see cref="Repeat"/> with a fresh time, as a
/// receiver that never moves would. Marked <see cref="LocationFix.User"/> (entered, not measured).
/// </summary>
public sealed class FixedLocationSource : ILocationSource
{
    public FixedLocationSource(double lat, double lon, double? hae = null, TimeSpan? repeat = null)
    {
        if (!LocationFix.IsValidPosition(lat, lon))
            throw new ArgumentOutOfRangeException(nameof(lat), $"fixed position {lat}, {lon} is not a valid latitude/longitude");
        Position = new LocationFix(DateTime.UtcNow, lat, lon, hae, null, null, null, LocationFix.User);
        Repeat = repeat ?? TimeSpan.FromSeconds(10);
        if (Repeat <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(repeat), "repeat interval must be positive");
    }

    public LocationFix Position { get; }

    public TimeSpan Repeat { get; }

    public Source<LocationFix, NotUsed> Fixes() =>
        Source.Tick(TimeSpan.Zero, Repeat, Position)
            .Select(static fix => fix with { Time = DateTime.UtcNow })
            .MapMaterializedValue(static _ => NotUsed.Instance);
}
