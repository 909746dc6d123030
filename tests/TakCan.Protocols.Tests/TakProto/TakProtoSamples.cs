using Google.Protobuf;
using TakCan.Protocols.TakProto;
using TakCan.Protocols.TakProto.Wire;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>TakMessages built directly with the generated classes, shaped like ATAK traffic.</summary>
internal static class TakProtoSamples
{
    public const long SendTimeMs = 1_717_243_200_123; // 2024-06-01T12:00:00.123Z

    /// <summary>Self SA of a friendly ground unit, with every typed detail filled in.</summary>
    public static TakMessage SelfSa(string callsign = "VIPER 1-1", string xmlDetail = "") => new()
    {
        CotEvent = new CotEvent
        {
            Type = "a-f-G-U-C",
            How = "m-g",
            Uid = "ANDROID-58f3a9c1b2d4e607",
            SendTime = SendTimeMs,
            StartTime = SendTimeMs,
            StaleTime = SendTimeMs + 90_000,
            Lat = 38.889484,
            Lon = -77.035278,
            Hae = 12.5,
            Ce = 4.9,
            Le = 9999999.0,
            Detail = new Detail
            {
                XmlDetail = xmlDetail,
                Contact = new Contact { Callsign = callsign, Endpoint = "192.168.1.20:4242:tcp" },
                Group = new Group { Name = "Cyan", Role = "Team Member" },
                PrecisionLocation = new PrecisionLocation { Geopointsrc = "GPS", Altsrc = "GPS" },
                Status = new Status { Battery = 87 },
                Takv = new Takv { Device = "PIXEL 7", Platform = "ATAK-CIV", Os = "34", Version = "5.1.0.3" },
                Track = new Track { Speed = 1.25, Course = 271.5 },
            },
        },
    };

    /// <summary>Three payloads of different sizes, so their length varints take 1, 2 and 3 bytes.</summary>
    public static byte[][] ThreePayloads() =>
    [
        TakControlMessages.CreateSupported("ANDROID-58f3a9c1b2d4e607").ToByteArray(),
        SelfSa().ToByteArray(),
        SelfSa("LONG REMARKS", "<remarks>" + new string('x', 16_500) + "</remarks>").ToByteArray(),
    ];
}
