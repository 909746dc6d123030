using System.Globalization;
using System.Xml.Linq;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using TakCan.Protocols.Tests.TakProto;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class GeoChatBuilderTests
{
    private const string Viking = "ANDROID-8f3b2c1d9e0a4b67";
    private const string Hammer = "S-1-5-21-2720623347-3037847324-4167270909-1002";
    private static readonly CotPoint VikingPosition = new(38.889484, -77.035278, 12.345, 4.9, CotPoint.Unknown);

    // What a TAK Server or ATAK's server path adds on the way (routing hints), not part of the chat line itself.
    private static readonly string[] RoutingElements = ["__serverdestination", "marti"];

    private static CotEvent AllRooms() => GeoChatBuilder.Build(
        Viking, "VIKING", "a-f-G-U-C", GeoChatBuilder.AllChatRooms, GeoChatBuilder.AllChatRooms,
        "Rally at CP 2 & hold, ETA <10 min", "5c2a7e1f-3b4d-4a6e-9f10-2b3c4d5e6f70",
        Utc("2024-05-01T12:01:00.120Z"), VikingPosition);

    private static CotEvent Direct() => GeoChatBuilder.Build(
        Viking, "VIKING", "a-f-G-U-C", Hammer, "HAMMER", "Copy. Moving to your position, 5 mikes.",
        "0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e", Utc("2024-05-01T12:01:30.004Z"), VikingPosition, Hammer);

    [Fact]
    public void Room_message_is_the_atak_capture_without_its_routing_hints()
    {
        var capture = CotXmlReader.Read(CotSamples.Bytes("geochat-all-rooms.xml"));

        Assert.Equal(WithoutRouting(capture), AllRooms());
    }

    [Fact]
    public void Direct_message_is_the_atak_capture_without_its_routing_hints_and_contact_hierarchy()
    {
        var capture = CotXmlReader.Read(CotSamples.Bytes("geochat-direct.xml"));
        // <hierarchy> inside __chat is ATAK's contact-tree path for its UI; receivers do not need it.
        var chat = capture.Detail.Chat! with { OtherChildren = EquatableArray<OpaqueElement>.Empty };
        var expected = WithoutRouting(capture with { Detail = capture.Detail.With(chat) });

        Assert.Equal(expected, Direct());
    }

    [Theory]
    [InlineData("geochat-all-rooms.xml")]
    [InlineData("geochat-direct.xml")]
    public void Our_xml_has_the_element_and_attribute_names_of_the_capture(string sample)
    {
        var ours = sample.Contains("direct", StringComparison.Ordinal) ? Direct() : AllRooms();

        var captured = Shape(CotSamples.Text(sample), ignore: [.. RoutingElements, "hierarchy"]);
        var built = Shape(CotXmlWriter.ToXml(ours), ignore: []);

        Assert.Equal(captured, built);
    }

    [Fact]
    public void Uid_names_sender_room_and_message()
    {
        Assert.Equal($"GeoChat.{Viking}.All Chat Rooms.5c2a7e1f-3b4d-4a6e-9f10-2b3c4d5e6f70", AllRooms().Uid);
        Assert.Equal($"GeoChat.{Viking}.{Hammer}.0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e", Direct().Uid);
    }

    [Fact]
    public void Stale_is_a_day_later_and_time_is_whole_milliseconds()
    {
        var now = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        var evt = GeoChatBuilder.Build(Viking, "VIKING", "a-f-G-U-C", "Cyan", "Cyan", "hi", "m1", now, VikingPosition);

        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, 123, DateTimeKind.Utc), evt.Time);
        Assert.Equal(evt.Time, evt.Start);
        Assert.Equal(evt.Time.AddDays(1), evt.Stale);
        Assert.Equal("Cyan", evt.Detail.Chat?.ChatGroup?.Uids[1]);
        Assert.Equal(CotTime.Format(evt.Time), evt.Detail.Remarks?.Time);
    }

    [Fact]
    public void Same_arguments_build_the_same_event()
    {
        Assert.Equal(AllRooms(), AllRooms());
        Assert.Equal(CotXmlWriter.ToUtf8(Direct()), CotXmlWriter.ToUtf8(Direct()));
    }

    [Fact]
    public void Survives_xml_round_trip()
    {
        foreach (var evt in new[] { AllRooms(), Direct() })
            Assert.Equal(evt, CotXmlReader.Read(CotXmlWriter.ToUtf8(evt)));
    }

    [Fact]
    public void Survives_tak_protocol_round_trip()
    {
        foreach (var evt in new[] { AllRooms(), Direct() })
        {
            var back = TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(evt));
            TakMessageConverterTests.AssertSameEvent(evt, back);
            Assert.Equal(evt.Time, back.Time);
        }
    }

    [Fact]
    public void Text_with_markup_and_unicode_survives_both_encodings()
    {
        const string text = "<b>\"quoted\" & 'single'</b> — ünïcødé 🚁\nsecond line";
        var evt = GeoChatBuilder.Build(Viking, "VIKING", "a-f-G-U-C", "Cyan", "Cyan", text, "m2", Utc("2024-05-01T12:00:00Z"), VikingPosition);

        Assert.Equal(text, CotXmlReader.Read(CotXmlWriter.ToUtf8(evt)).Detail.Remarks?.Content);
        Assert.Equal(text, TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(evt)).Detail.Remarks?.Content);
    }

    [Fact]
    public void Empty_sender_room_or_message_id_is_refused()
    {
        var now = Utc("2024-05-01T12:00:00Z");
        Assert.ThrowsAny<ArgumentException>(() => GeoChatBuilder.Build("", "V", "a-f-G-U-C", "r", "r", "t", "m", now, VikingPosition));
        Assert.ThrowsAny<ArgumentException>(() => GeoChatBuilder.Build("u", "V", "a-f-G-U-C", "", "r", "t", "m", now, VikingPosition));
        Assert.ThrowsAny<ArgumentException>(() => GeoChatBuilder.Build("u", "V", "a-f-G-U-C", "r", "r", "t", "", now, VikingPosition));
    }

    internal static CotEvent WithoutRouting(CotEvent evt) =>
        evt with { Detail = new CotDetail(evt.Detail.Elements.Where(e => !RoutingElements.Contains(e.Name))) };

    internal static DateTime Utc(string iso) =>
        DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// The event as System.Xml sees it: every element path with its sorted attribute names, in document order
    /// (detail children sorted, since TAK clients order them freely).
    /// </summary>
    internal static string[] Shape(string xml, string[] ignore)
    {
        var root = IndependentXml.Parse(xml).Root!;
        var lines = new List<string>();
        Walk(root, "");
        return lines.Order(StringComparer.Ordinal).ToArray();

        void Walk(XElement element, string path)
        {
            var name = element.Name.LocalName;
            if (ignore.Contains(name)) return;
            var here = $"{path}/{name}";
            lines.Add($"{here}[{string.Join(',', element.Attributes().Select(a => a.Name.LocalName).Order(StringComparer.Ordinal))}]" +
                      (element.HasElements || string.IsNullOrWhiteSpace(element.Value) ? "" : " text"));
            foreach (var child in element.Elements()) Walk(child, here);
        }
    }
}
