using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Tests.Cot.Json;

/// <summary>Events built in code, one per detail element kind and one with everything, for the JSON tests.</summary>
internal static class CotJsonSamples
{
    public static readonly DateTime Time = new(2024, 5, 1, 12, 0, 3, 512, DateTimeKind.Utc);

    public static readonly EquatableArray<CotAttribute> Extras = new CotAttribute[] { new("extra", "1"), new("x-y.z", "a 'quoted' <value> & more") };

    public static readonly EquatableArray<OpaqueElement> ExtraChildren = new[]
    {
        new OpaqueElement("hierarchy", "<hierarchy><group uid='UserGroups' name='Groups'/></hierarchy>"),
        new OpaqueElement("note", "<note a=\"1\">text &amp; more<![CDATA[<raw>]]></note>"),
    };

    /// <summary>Atak self SA as the golden test pins it (ATAK-CIV 5.1, values from a real capture).</summary>
    public static CotEvent SelfSa() => new()
    {
        Uid = "ANDROID-8f3b2c1d9e0a4b67",
        Type = "a-f-G-U-C",
        How = "m-g",
        Time = Time,
        Start = Time,
        Stale = Time.AddMinutes(6).AddSeconds(15),
        Point = new CotPoint(38.889484, -77.035278, 12.345, 4.9, CotPoint.Unknown),
        Detail = new CotDetail(
        [
            new Takv { Device = "GOOGLE PIXEL 7", Platform = "ATAK-CIV", Os = "34", Version = "5.1.0.16 (b2f1f4e2).1714565000-CIV" },
            new Contact { Callsign = "VIKING", Endpoint = "*:-1:stcp" },
            new DroidUid { Droid = "VIKING" },
            new PrecisionLocation { GeopointSource = "GPS", AltitudeSource = "GPS" },
            new Group { Team = "Cyan", Role = "Team Lead" },
            new Status { Battery = 78 },
            new Track { Course = 271.53942871093744, Speed = 1.3487396240234375 },
        ]),
    };

    /// <summary>One element of every kind the model has, each fully populated, with other attributes and children.</summary>
    public static IEnumerable<DetailElement> EveryKind()
    {
        yield return new Contact { Callsign = "VIKING", Endpoint = "192.168.1.10:4242:tcp", Phone = "+15555550123" };
        yield return new Group { Team = "Dark Blue", Role = "Forward Observer" };
        yield return new Takv { Device = "PIXEL", Platform = "ATAK-CIV", Os = "34", Version = "5.1" };
        yield return new Track { Course = 0.5, Speed = -0.0 };
        yield return new Status { Battery = -1 };
        yield return new PrecisionLocation { GeopointSource = "USER", AltitudeSource = "DTED0" };
        yield return new DroidUid { Droid = "VIKING" };
        yield return new Remarks { Source = "BAO.F.ATAK.x", To = "y", Time = "2024-05-01T12:01:30.004Z", Content = "line 1\nline 2 \"quoted\" <b> & é 😀" };
        yield return new Link
        {
            Uid = "u", Type = "b-m-p-w", Relation = "c", Callsign = "CP1", Point = "38.1,-77.2,12.3", ParentCallsign = "VIKING",
            ProductionTime = "2024-05-01T12:04:58.113Z", Remarks = "",
        };
        yield return new Chat
        {
            Chatroom = "All Chat Rooms", Id = "All Chat Rooms", Parent = "RootContactGroup", GroupOwner = false, MessageId = "m-1",
            SenderCallsign = "VIKING",
            ChatGroup = new ChatGroup { Id = "All Chat Rooms", Uids = new[] { "ANDROID-1", "All Chat Rooms" }, OtherAttributes = Extras, OtherChildren = ExtraChildren },
        };
        yield return new ChatGroup { Id = "top-level chatgrp", Uids = new[] { "a" } };
        yield return new Emergency { Type = "911 Alert", Cancel = true, Callsign = "VIKING" };
        yield return new Video
        {
            Url = "rtsp://192.168.1.50:8554/uas1", Uid = "v-1",
            ConnectionEntry = new ConnectionEntry
            {
                Uid = "v-1", Alias = "UAS-1 EO", Protocol = "rtsp", Address = "192.168.1.50", Port = 8554, Path = "/uas1", NetworkTimeout = 12000,
                BufferTime = -1, RoverPort = -1, RtspReliable = 0, IgnoreEmbeddedKlv = false,
            },
        };
        yield return new ConnectionEntry { Uid = "top-level", Port = int.MaxValue };
        yield return new Geofence
        {
            Trigger = "Entry", Monitor = "TAKUsers", Tracking = true, ElevationMonitored = false, MinElevation = double.NaN,
            MaxElevation = double.PositiveInfinity, BoundingSphere = 250.0,
        };
        yield return new Shape
        {
            Ellipse = new Ellipse { Major = 250.0, Minor = 180.5, Angle = 360, OtherAttributes = Extras },
            Polyline = new Polyline
            {
                Closed = true,
                Vertices = new[]
                {
                    new Vertex { Lat = 38.1, Lon = -77.1, Hae = double.NegativeInfinity },
                    new Vertex { Lat = 38.2, Lon = -77.2, OtherChildren = ExtraChildren },
                },
            },
            OtherChildren = new[] { new OpaqueElement("link", "<link uid='s.Style' type='b-x-KmlStyle' relation='p-c'><Style><LineStyle><color>ffff0000</color></LineStyle></Style></link>") },
        };
        yield return new Ellipse { Major = 1e-7, Minor = 1e20 };
        yield return new Polyline { Closed = false };
        yield return new Vertex { Lat = 1, Lon = 2, Hae = 3 };
        yield return new Marti { Destinations = new[] { new MartiDest { Callsign = "HAMMER" }, new MartiDest { Uid = "u", Mission = "m", OtherAttributes = Extras } } };
        yield return new MartiDest { Callsign = "top-level dest" };
        yield return new FlowTags { OtherAttributes = new CotAttribute[] { new("TAK-Server-c0581fed", "2024-05-01T12:00:03Z"), new("TAK-Server-e87a", "2024-05-01T12:00:04Z") } };
        yield return new OpaqueElement("__serverdestination", "<__serverdestination destinations='192.168.1.21:4242:tcp:ANDROID-1'/>");
        // Unknown elements named like typed ones keep their exact XML too.
        yield return new OpaqueElement("contact", "<contact   callsign = \"ODD\"  ></contact>");
        yield return new OpaqueElement("deep", "<deep><a><b><c><d x='1'>t</d></c></b></a></deep>");
    }

    /// <summary>An event carrying <paramref name="elements"/>, with every optional event field set.</summary>
    public static CotEvent With(params DetailElement[] elements) => new()
    {
        Version = "2.0",
        Uid = "uid-1",
        Type = "b-m-p-s-m",
        How = "h-g-i-g-o",
        Time = Time,
        Start = Time.AddSeconds(1),
        Stale = Time.AddDays(1),
        Access = "Undefined",
        Qos = "1-r-c",
        Opex = "e-exercise",
        Point = new CotPoint(-33.8688, 151.2093, -12.5, 3.2, double.NaN),
        Detail = new CotDetail(elements),
    };
}
