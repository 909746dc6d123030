using System.Reflection;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// This device's own situational awareness event (specs/device.md, "Self reporting"), shaped like ATAK's: the same
/// detail elements in the same order, so every TAK client shows TAK Can like any other team member and the TAK
/// Protocol encoder moves contact, __group, takv, track, status and precisionlocation into their typed fields.
/// </summary>
public static class SelfSaBuilder
{
    /// <summary>Friendly ground unit, combat: what ATAK sends for a person.</summary>
    public const string DefaultType = "a-f-G-U-C";

    /// <summary>ATAK's endpoint for "reach me through the mesh or server, not directly".</summary>
    public const string StreamingEndpoint = "*:-1:stcp";

    /// <summary>ATAK's altitude source when a position has no altitude.</summary>
    public const string UnknownSource = "???";

    /// <summary>Who this device is, as its self SA shows it.</summary>
    /// <param name="Team">The team colour, e.g. Cyan.</param>
    /// <param name="Role">e.g. Team Member, Team Lead, HQ, Sniper, Medic, Forward Observer, RTO, K9.</param>
    public sealed record Identity(string Uid, string Callsign, string Team, string Role, string Type = DefaultType);

    /// <summary>The <c>takv</c> every TAK Can self SA carries.</summary>
    public static Takv Software { get; } = new()
    {
        Device = "TAK Can",
        Platform = "TAK-Can",
        Os = Environment.OSVersion.VersionString,
        Version = typeof(SelfSaBuilder).Assembly.GetName().Version?.ToString() ?? "0.0.0.0",
    };

    /// <param name="now">Event time and start; CoT carries milliseconds, so finer parts are dropped.</param>
    /// <param name="stale">How long after <paramref name="now"/> others should consider the position stale.</param>
    /// <param name="battery">Battery level in percent, when the device knows it.</param>
    public static CotEvent Build(Identity identity, LocationFix fix, DateTime now, TimeSpan stale, int? battery = null)
    {
        var time = TruncateToMilliseconds(now.Kind == DateTimeKind.Local ? now.ToUniversalTime() : DateTime.SpecifyKind(now, DateTimeKind.Utc));
        var elements = new List<DetailElement>(7)
        {
            Software,
            new Contact { Callsign = identity.Callsign, Endpoint = StreamingEndpoint },
            new DroidUid { Droid = identity.Callsign },
            new PrecisionLocation
            {
                GeopointSource = fix.Source,
                AltitudeSource = fix.Hae is null ? UnknownSource : fix.Source,
            },
            new Group { Team = identity.Team, Role = identity.Role },
        };
        if (battery is { } percent) elements.Add(new Status { Battery = Math.Clamp(percent, 0, 100) });
        // ATAK always sends track; a stationary or course-less fix reports 0, as ATAK does.
        elements.Add(new Track { Course = fix.Course ?? 0.0, Speed = fix.Speed ?? 0.0 });
        return new CotEvent
        {
            Uid = identity.Uid,
            Type = identity.Type,
            // m-g: machine, GPS; h-e: human, entered (ATAK's how for a hand-placed self position).
            How = fix.Source == LocationFix.User ? "h-e" : "m-g",
            Time = time,
            Start = time,
            Stale = time + stale,
            Point = new CotPoint(fix.Lat, fix.Lon, fix.Hae ?? CotPoint.Unknown, fix.Ce ?? CotPoint.Unknown, CotPoint.Unknown),
            Detail = new CotDetail(elements),
        };
    }

    private static DateTime TruncateToMilliseconds(DateTime value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
