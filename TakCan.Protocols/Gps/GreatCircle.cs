namespace TakCan.Protocols.Gps;

/// <summary>
/// Distances and bearings on a spherical earth (haversine). Good to well under 0.5 % at the ranges TAK Can
/// cares about (metres to a few hundred kilometres), which is all the reporting thresholds and replay speeds need.
/// </summary>
public static class GreatCircle
{
    /// <summary>Mean earth radius in metres (IUGG).</summary>
    public const double EarthRadius = 6_371_008.8;

    /// <summary>Distance in metres between two positions given in degrees.</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        var phi1 = Radians(lat1);
        var phi2 = Radians(lat2);
        var dPhi = phi2 - phi1;
        var dLambda = Radians(lon2 - lon1);
        var a = Math.Sin(dPhi / 2) * Math.Sin(dPhi / 2) +
                Math.Cos(phi1) * Math.Cos(phi2) * Math.Sin(dLambda / 2) * Math.Sin(dLambda / 2);
        return 2 * EarthRadius * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Initial bearing from the first position to the second, degrees true in [0, 360).</summary>
    public static double Bearing(double lat1, double lon1, double lat2, double lon2)
    {
        var phi1 = Radians(lat1);
        var phi2 = Radians(lat2);
        var dLambda = Radians(lon2 - lon1);
        var y = Math.Sin(dLambda) * Math.Cos(phi2);
        var x = Math.Cos(phi1) * Math.Sin(phi2) - Math.Sin(phi1) * Math.Cos(phi2) * Math.Cos(dLambda);
        return Normalize(Degrees(Math.Atan2(y, x)));
    }

    /// <summary>The position <paramref name="distance"/> metres from the start along <paramref name="bearing"/> degrees true.</summary>
    public static (double Lat, double Lon) Destination(double lat, double lon, double bearing, double distance)
    {
        var delta = distance / EarthRadius;
        var theta = Radians(bearing);
        var phi1 = Radians(lat);
        var lambda1 = Radians(lon);
        var phi2 = Math.Asin(Math.Sin(phi1) * Math.Cos(delta) + Math.Cos(phi1) * Math.Sin(delta) * Math.Cos(theta));
        var lambda2 = lambda1 + Math.Atan2(Math.Sin(theta) * Math.Sin(delta) * Math.Cos(phi1),
            Math.Cos(delta) - Math.Sin(phi1) * Math.Sin(phi2));
        return (Degrees(phi2), (Degrees(lambda2) + 540) % 360 - 180);
    }

    /// <summary>The smaller angle between two headings, in [0, 180] degrees (350° and 10° are 20° apart).</summary>
    public static double HeadingDifference(double a, double b)
    {
        var d = Math.Abs(Normalize(a) - Normalize(b));
        return d > 180 ? 360 - d : d;
    }

    /// <summary>An angle in degrees brought into [0, 360).</summary>
    public static double Normalize(double degrees)
    {
        var d = degrees % 360;
        return d < 0 ? d + 360 : d;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
