using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary><c>&lt;__geofence trigger monitor …/&gt;</c>: ATAK's geofence on a shape — when to alert and for whom.</summary>
public sealed record Geofence : DetailElement
{
    public const string ElementName = "__geofence";

    public override string Name => ElementName;

    /// <summary>Entry, Exit or Both.</summary>
    public string? Trigger { get; init; }

    /// <summary>Who is watched: All, Friendly, Hostile, TAKUsers, Custom…</summary>
    public string? Monitor { get; init; }

    public bool? Tracking { get; init; }

    public bool? ElevationMonitored { get; init; }

    public double? MinElevation { get; init; }

    public double? MaxElevation { get; init; }

    public double? BoundingSphere { get; init; }

    internal static Geofence Read(XmlNode node) => new()
    {
        ElevationMonitored = node.TakeBool("elevationMonitored"),
        MinElevation = node.TakeDouble("minElevation"),
        Monitor = node.Take("monitor"),
        Trigger = node.Take("trigger"),
        Tracking = node.TakeBool("tracking"),
        MaxElevation = node.TakeDouble("maxElevation"),
        BoundingSphere = node.TakeDouble("boundingSphere"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("elevationMonitored", ElevationMonitored);
        xml.Attribute("minElevation", MinElevation);
        xml.Attribute("monitor", Monitor);
        xml.Attribute("trigger", Trigger);
        xml.Attribute("tracking", Tracking);
        xml.Attribute("maxElevation", MaxElevation);
        xml.Attribute("boundingSphere", BoundingSphere);
    }
}
