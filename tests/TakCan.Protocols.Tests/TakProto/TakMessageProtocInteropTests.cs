using System.Globalization;
using Google.Protobuf;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>Checks our TakMessage bytes against Google's protoc, the reference protobuf implementation.</summary>
public class TakMessageProtocInteropTests
{
    [Fact]
    public void Protoc_decodes_our_mesh_payload_field_for_field()
    {
        var message = TakProtoSamples.SelfSa("VIPER 1-1 Ω", "<remarks>on \"task\"</remarks>");
        var datagram = TakMessageCodec.EncodeMesh(message);
        var payload = TakProtocolFraming.DecodeMesh(datagram.AsSpan(), out _);

        var fields = Protoc.ParseText(Protoc.Decode(payload));

        var cot = message.CotEvent;
        Assert.Equal("a-f-G-U-C", fields["cotEvent.type"]);
        Assert.Equal("m-g", fields["cotEvent.how"]);
        Assert.Equal(cot.Uid, fields["cotEvent.uid"]);
        Assert.Equal(cot.SendTime.ToString(CultureInfo.InvariantCulture), fields["cotEvent.sendTime"]);
        Assert.Equal(cot.StaleTime.ToString(CultureInfo.InvariantCulture), fields["cotEvent.staleTime"]);
        Assert.Equal(cot.Lat, Protoc.ParseDouble(fields["cotEvent.lat"]));
        Assert.Equal(cot.Lon, Protoc.ParseDouble(fields["cotEvent.lon"]));
        Assert.Equal(cot.Hae, Protoc.ParseDouble(fields["cotEvent.hae"]));
        Assert.Equal(cot.Le, Protoc.ParseDouble(fields["cotEvent.le"]));
        Assert.Equal("VIPER 1-1 Ω", fields["cotEvent.detail.contact.callsign"]);
        Assert.Equal("192.168.1.20:4242:tcp", fields["cotEvent.detail.contact.endpoint"]);
        Assert.Equal("<remarks>on \"task\"</remarks>", fields["cotEvent.detail.xmlDetail"]);
        Assert.Equal("Cyan", fields["cotEvent.detail.group.name"]);
        Assert.Equal("Team Member", fields["cotEvent.detail.group.role"]);
        Assert.Equal("87", fields["cotEvent.detail.status.battery"]);
        Assert.Equal("ATAK-CIV", fields["cotEvent.detail.takv.platform"]);
        Assert.Equal(cot.Detail.Track.Course, Protoc.ParseDouble(fields["cotEvent.detail.track.course"]));
    }

    [Fact]
    public void Protoc_decodes_our_tak_control()
    {
        var payload = TakControlMessages.Create(1, 2, "ANDROID-58f3a9c1b2d4e607").ToByteArray();

        var fields = Protoc.ParseText(Protoc.Decode(payload));

        Assert.Equal("1", fields["takControl.minProtoVersion"]);
        Assert.Equal("2", fields["takControl.maxProtoVersion"]);
        Assert.Equal("ANDROID-58f3a9c1b2d4e607", fields["takControl.contactUid"]);
        Assert.DoesNotContain(fields.Keys, key => key.StartsWith("cotEvent", StringComparison.Ordinal));
    }

    [Fact]
    public void We_decode_what_protoc_encodes()
    {
        const string text = """
            cotEvent {
              type: "b-t-f"
              uid: "GeoChat.ANDROID-1.All Chat Rooms.5b1d"
              how: "h-g-i-g-o"
              sendTime: 1717243200123
              lat: -33.8568
              lon: 151.2153
              detail { contact { callsign: "KANGA" } }
            }
            """;

        var message = TakMessageCodec.Parse(Protoc.Encode(text));

        Assert.Equal("b-t-f", message.CotEvent.Type);
        Assert.Equal("GeoChat.ANDROID-1.All Chat Rooms.5b1d", message.CotEvent.Uid);
        Assert.Equal(1717243200123ul, message.CotEvent.SendTime);
        Assert.Equal(-33.8568, message.CotEvent.Lat);
        Assert.Equal(151.2153, message.CotEvent.Lon);
        Assert.Equal("KANGA", message.CotEvent.Detail.Contact.Callsign);
    }
}
