namespace TakCan.Protocols.Gps;

/// <summary>Derives course and speed from consecutive positions, for logs that record positions only.</summary>
public static class FixKinematics
{
    /// <summary>
    /// Below this distance between two points the bearing is GPS noise, so the previous course is kept.
    /// </summary>
    public const double MinDistanceForCourse = 0.5;

    /// <summary>
    /// Fills a missing course or speed of each fix from the leg that ends at it (the first fix from the leg that
    /// starts at it). Values the log recorded are kept. <paramref name="fixes"/> must be in time order.
    /// </summary>
    public static IReadOnlyList<LocationFix> FillCourseAndSpeed(IReadOnlyList<LocationFix> fixes)
    {
        if (fixes.Count < 2) return fixes;
        var result = new LocationFix[fixes.Count];
        double? lastCourse = null;
        for (var i = 0; i < fixes.Count; i++)
        {
            var fix = fixes[i];
            var (from, to) = i == 0 ? (fixes[0], fixes[1]) : (fixes[i - 1], fix);
            var (course, speed) = Leg(from, to);
            course ??= lastCourse;
            result[i] = fix with { Course = fix.Course ?? course, Speed = fix.Speed ?? speed };
            lastCourse = result[i].Course;
        }

        return result;
    }

    private static (double? Course, double? Speed) Leg(LocationFix from, LocationFix to)
    {
        var distance = GreatCircle.Distance(from.Lat, from.Lon, to.Lat, to.Lon);
        var seconds = (to.Time - from.Time).TotalSeconds;
        double? speed = seconds > 0 ? distance / seconds : null;
        double? course = distance >= MinDistanceForCourse ? GreatCircle.Bearing(from.Lat, from.Lon, to.Lat, to.Lon) : null;
        return (course, speed);
    }
}
