using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Actors.Tests.Device;

/// <summary>CoT events as the situation actors receive them.</summary>
public static class SampleCot
{
    /// <summary>An ATAK SA report: contact, group and track, stale <paramref name="staleAfter"/> (default 90 s) after its time.</summary>
    public static CotEvent Sa(
        string uid,
        string callsign,
        DateTime time,
        double lat = 45.4215,
        double lon = -75.6972,
        string type = "a-f-G-U-C",
        string? team = "Cyan",
        string? role = "Team Member",
        double? course = 90,
        double? speed = 1.5,
        TimeSpan? staleAfter = null) =>
        new()
        {
            Uid = uid,
            Type = type,
            How = "m-g",
            Time = time,
            Start = time,
            Stale = time + (staleAfter ?? TimeSpan.FromSeconds(90)),
            Point = new CotPoint(lat, lon, 70, 5, 10),
            Detail = new CotDetail(Elements(callsign, team, role, course, speed)),
        };

    public static CotEvent Chat(string uid, string senderCallsign, DateTime time) =>
        new()
        {
            Uid = uid,
            Type = "b-t-f",
            How = "h-g-i-g-o",
            Time = time,
            Start = time,
            Stale = time.AddDays(1),
            Detail = new CotDetail([new Contact { Callsign = senderCallsign }, new Remarks { Content = "hello" }]),
        };

    private static IEnumerable<DetailElement> Elements(string callsign, string? team, string? role, double? course, double? speed)
    {
        yield return new Contact { Callsign = callsign, Endpoint = "*:-1:stcp" };
        if (team is not null || role is not null) yield return new Group { Team = team, Role = role };
        if (course is not null || speed is not null) yield return new Track { Course = course, Speed = speed };
    }
}
