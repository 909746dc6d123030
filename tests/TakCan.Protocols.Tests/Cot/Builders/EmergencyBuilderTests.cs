using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using TakCan.Protocols.Tests.TakProto;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class EmergencyBuilderTests
{
    private const string Viking = "ANDROID-8f3b2c1d9e0a4b67";
    private static readonly CotPoint Position = new(38.889484, -77.035278, 12.345);

    public static TheoryData<string, string, string> Raises => new()
    {
        { "alert-911.xml", EmergencyBuilder.Alert911, "2024-05-01T12:02:00.331Z" },
        { "alert-ring-the-bell.xml", EmergencyBuilder.RingTheBell, "2024-05-01T12:02:30.002Z" },
        { "alert-in-contact.xml", EmergencyBuilder.InContact, "2024-05-01T12:03:00.450Z" },
    };

    private static CotEvent Raise(string cotType, string time) =>
        EmergencyBuilder.Raise(Viking, "VIKING", cotType, GeoChatBuilderTests.Utc(time), Position);

    private static CotEvent Cancel() =>
        EmergencyBuilder.Cancel(Viking, "VIKING", GeoChatBuilderTests.Utc("2024-05-01T12:04:12.870Z"), Position);

    [Theory]
    [MemberData(nameof(Raises))]
    public void Raise_is_the_atak_capture(string sample, string cotType, string time)
    {
        var capture = CotXmlReader.Read(CotSamples.Bytes(sample));
        var ours = Raise(cotType, time);

        // ATAK writes the detail children in either order (in-contact has emergency before contact).
        Assert.Equal(capture with { Detail = CotDetail.Empty }, ours with { Detail = CotDetail.Empty });
        Assert.Equal(capture.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal), ours.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Cancel_is_the_atak_capture()
    {
        Assert.Equal(CotXmlReader.Read(CotSamples.Bytes("alert-cancel.xml")), Cancel());
    }

    [Theory]
    [InlineData("alert-911.xml")]
    [InlineData("alert-ring-the-bell.xml")]
    [InlineData("alert-in-contact.xml")]
    [InlineData("alert-cancel.xml")]
    public void Our_xml_has_the_element_and_attribute_names_of_the_capture(string sample)
    {
        var capture = CotXmlReader.Read(CotSamples.Bytes(sample));
        var ours = capture.Type == EmergencyBuilder.Cancelled
            ? Cancel()
            : EmergencyBuilder.Raise(Viking, "VIKING", capture.Type, capture.Time, Position);

        Assert.Equal(
            GeoChatBuilderTests.Shape(CotSamples.Text(sample), ignore: []),
            GeoChatBuilderTests.Shape(CotXmlWriter.ToXml(ours), ignore: []));
    }

    [Fact]
    public void Every_raise_and_the_cancel_share_the_self_uid_with_9_1_1()
    {
        Assert.Equal($"{Viking}-9-1-1", Raise(EmergencyBuilder.Alert911, "2024-05-01T12:00:00Z").Uid);
        Assert.Equal($"{Viking}-9-1-1", Cancel().Uid);
        Assert.Equal("VIKING", Cancel().Detail.Emergency?.Callsign);
        Assert.True(Cancel().Detail.Emergency?.Cancel);
        Assert.True(EmergencyBuilder.IsCancel(Cancel()));
        Assert.False(EmergencyBuilder.IsCancel(Raise(EmergencyBuilder.InContact, "2024-05-01T12:00:00Z")));
    }

    [Fact]
    public void Raise_links_to_self_with_the_device_type()
    {
        var evt = EmergencyBuilder.Raise(Viking, "VIKING", EmergencyBuilder.Alert911, DateTime.UnixEpoch, Position, selfType: "a-f-G-E-V-C");
        var link = Assert.Single(evt.Detail.Links);

        Assert.Equal(new Link { Uid = Viking, Type = "a-f-G-E-V-C", Relation = "p-p" }, link);
        Assert.Equal("VIKING-Alert", evt.Detail.Contact?.Callsign);
        Assert.Equal("911 Alert", evt.Detail.Emergency?.Type);
        Assert.Equal(evt.Time + EmergencyBuilder.DefaultLifetime, evt.Stale);
    }

    [Fact]
    public void Unknown_raise_type_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EmergencyBuilder.Raise(Viking, "VIKING", "b-a-o-can", DateTime.UnixEpoch, Position));
        Assert.Throws<ArgumentException>(() => EmergencyBuilder.Describe("a-f-G-U-C"));
    }

    [Fact]
    public void Survive_xml_and_tak_protocol_round_trips()
    {
        var events = new[]
        {
            Raise(EmergencyBuilder.Alert911, "2024-05-01T12:02:00.331Z"),
            Raise(EmergencyBuilder.RingTheBell, "2024-05-01T12:02:00.331Z"),
            Raise(EmergencyBuilder.InContact, "2024-05-01T12:02:00.331Z"),
            Cancel(),
        };
        foreach (var evt in events)
        {
            Assert.Equal(evt, CotXmlReader.Read(CotXmlWriter.ToUtf8(evt)));
            var back = TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(evt));
            TakMessageConverterTests.AssertSameEvent(evt, back);
            Assert.Equal(evt.Time, back.Time);
        }
    }

    [Fact]
    public void Contact_with_only_a_callsign_travels_in_the_typed_proto_field()
    {
        var message = TakMessageConverter.ToTakMessage(Raise(EmergencyBuilder.Alert911, "2024-05-01T12:02:00.331Z"));

        Assert.Equal("VIKING-Alert", message.CotEvent.Detail.Contact.Callsign);
        Assert.DoesNotContain("<contact", message.CotEvent.Detail.XmlDetail, StringComparison.Ordinal);
    }
}
