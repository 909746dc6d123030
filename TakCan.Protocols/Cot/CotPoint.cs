namespace TakCan.Protocols.Cot;

/// <summary>The CoT <c>point</c>: WGS84 position, height above ellipsoid and circular/linear errors in metres.</summary>
public readonly record struct CotPoint(double Lat, double Lon, double Hae = CotPoint.Unknown, double Ce = CotPoint.Unknown, double Le = CotPoint.Unknown)
{
    /// <summary>CoT's marker for an unknown height or error.</summary>
    public const double Unknown = 9999999.0;

    public static CotPoint Zero => new(0, 0, 0, Unknown, Unknown);
}
