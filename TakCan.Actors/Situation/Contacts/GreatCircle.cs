namespace TakCan.Actors.Situation.Contacts;

/// <summary>Distance and bearing on a spherical earth, as a TAK operator reads them off a contact.</summary>
public static class GreatCircle
{
    /// <summary>The IUGG mean earth radius: at contact ranges the sphere is within 0.5 % of WGS84.</summary>
    public const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Haversine distance in metres; well conditioned for the short ranges most contacts are at.</summary>
    public static double DistanceMeters(double fromLat, double fromLon, double toLat, double toLon)
    {
        var phi1 = Radians(fromLat);
        var phi2 = Radians(toLat);
        var sinHalfDPhi = Math.Sin((phi2 - phi1) / 2);
        var sinHalfDLambda = Math.Sin(Radians(toLon - fromLon) / 2);
        var a = sinHalfDPhi * sinHalfDPhi + Math.Cos(phi1) * Math.Cos(phi2) * sinHalfDLambda * sinHalfDLambda;
        return 2 * EarthRadiusMeters * Math.Asin(Math.Sqrt(Math.Min(1, a)));
    }

    /// <summary>Initial bearing in degrees true, [0, 360).</summary>
    public static double InitialBearingDegrees(double fromLat, double fromLon, double toLat, double toLon)
    {
        var phi1 = Radians(fromLat);
        var phi2 = Radians(toLat);
        var dLambda = Radians(toLon - fromLon);
        var y = Math.Sin(dLambda) * Math.Cos(phi2);
        var x = Math.Cos(phi1) * Math.Sin(phi2) - Math.Sin(phi1) * Math.Cos(phi2) * Math.Cos(dLambda);
        var degrees = Math.Atan2(y, x) * 180 / Math.PI;
        return (degrees + 360) % 360;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
