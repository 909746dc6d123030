using System.Numerics;

namespace TakCan.Host.Console.Sim;

/// <summary>Scenario metres to WGS84 around a fixed origin (flat earth is exact enough over a few kilometres).</summary>
public static class SimGeo
{
    public const double OriginLat = 45.4215;
    public const double OriginLon = -75.6972;
    private const double MetresPerDegree = 111_320;

    public static (double Lat, double Lon) ToLatLon(Vector2 metres) =>
        (OriginLat + metres.Y / MetresPerDegree, OriginLon + metres.X / (MetresPerDegree * Math.Cos(OriginLat * Math.PI / 180)));
}
