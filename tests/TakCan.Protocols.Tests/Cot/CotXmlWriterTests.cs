using System.Globalization;
using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot;

public class CotXmlWriterTests
{
    private static readonly DateTime Noon = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    private static CotEvent Minimal(CotDetail? detail = null, string uid = "writer-1") => new()
    {
        Uid = uid,
        Type = "a-f-G-U-C",
        How = "m-g",
        Time = Noon,
        Start = Noon,
        Stale = Noon.AddMinutes(5),
        Point = new CotPoint(38.889484, -77.035278, 12.5, 4.9, CotPoint.Unknown),
        Detail = detail ?? CotDetail.Empty,
    };

    private static string Attribute(string xml, string element, string name) =>
        IndependentXml.Parse(xml).Descendants(element).First().Attribute(name)!.Value;

    // ---- times -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0, "2024-05-01T12:00:00.000Z")]
    [InlineData(1, "2024-05-01T12:00:00.000Z")]
    [InlineData(10_000, "2024-05-01T12:00:00.001Z")]
    [InlineData(1_234_567, "2024-05-01T12:00:00.123Z")]
    [InlineData(9_999_999, "2024-05-01T12:00:00.999Z")]
    public void Times_have_exactly_three_fractional_digits_and_z(long ticks, string expected)
    {
        var time = Noon.AddTicks(ticks);
        var xml = CotXmlWriter.ToXml(Minimal() with { Time = time, Start = time, Stale = time });

        Assert.Equal(expected, Attribute(xml, "event", "time"));
        Assert.Equal(expected, Attribute(xml, "event", "start"));
        Assert.Equal(expected, Attribute(xml, "event", "stale"));
    }

    [Fact]
    public void Extreme_dates_keep_the_format()
    {
        var xml = CotXmlWriter.ToXml(Minimal() with { Time = DateTime.MinValue, Stale = DateTime.MaxValue });

        Assert.Equal("0001-01-01T00:00:00.000Z", Attribute(xml, "event", "time"));
        Assert.Equal("9999-12-31T23:59:59.999Z", Attribute(xml, "event", "stale"));
        Assert.Equal(DateTime.MinValue, CotXmlReader.Read(xml).Time);
    }

    [Fact]
    public void Local_times_are_written_as_utc()
    {
        var local = new DateTime(2024, 5, 1, 14, 30, 15, 250, DateTimeKind.Local);
        var expected = local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        var xml = CotXmlWriter.ToXml(Minimal() with { Time = local });

        Assert.Equal(expected, Attribute(xml, "event", "time"));
    }

    // ---- escaping ----------------------------------------------------------------------------------------------

    public static TheoryData<string> Awkward => new()
    {
        "plain",
        "Fish & Chips",
        "a<b>c",
        "it's",
        "say \"hi\"",
        "both ' and \"",
        "line\nbreak",
        "tab\there",
        "cr\rlf\r\nend",
        "  leading and trailing  ",
        "&amp; is already escaped",
        "]]> and <![CDATA[",
        "unicode: Ωμέγα ✓ 😀 東京",
        "",
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public void Attribute_values_round_trip_through_our_reader_and_system_xml(string value)
    {
        var evt = Minimal(new CotDetail([
            new Contact { Callsign = value, Endpoint = "*:-1:stcp" },
            new Link { Uid = "u", Remarks = value, OtherAttributes = new CotAttribute[] { new("x-vendor", value) } },
        ]), uid: "uid " + value) with { Access = value };

        var xml = CotXmlWriter.ToXml(evt);

        Assert.Equal(evt, CotXmlReader.Read(xml));
        Assert.Equal(value, Attribute(xml, "contact", "callsign"));
        Assert.Equal(value, Attribute(xml, "link", "remarks"));
        Assert.Equal(value, Attribute(xml, "link", "x-vendor"));
        Assert.Equal(value, Attribute(xml, "event", "access"));
        Assert.Equal("uid " + value, Attribute(xml, "event", "uid"));
        // Line breaks and tabs must be character references: literal ones would be normalised to spaces on reading.
        var contactTag = xml[xml.IndexOf("<contact", StringComparison.Ordinal)..];
        contactTag = contactTag[..(contactTag.IndexOf("/>", StringComparison.Ordinal) + 2)];
        Assert.DoesNotContain('\n', contactTag);
        Assert.DoesNotContain('\r', contactTag);
        Assert.DoesNotContain('\t', contactTag);
    }

    [Fact]
    public void Special_characters_are_escaped_as_entities()
    {
        var xml = CotXmlWriter.ToXml(Minimal(new CotDetail([new Contact { Callsign = "&<>'\"\n\t\r" }])));

        Assert.Contains("callsign='&amp;&lt;&gt;&apos;&quot;&#xA;&#x9;&#xD;'", xml);
    }

    [Theory]
    [MemberData(nameof(Awkward))]
    public void Text_round_trips_through_our_reader_and_system_xml(string value)
    {
        var text = value.Length == 0 ? "x" : value;
        var evt = Minimal(new CotDetail([
            new Remarks { Source = "BAO.F.ATAK.u", Content = text },
            new Emergency { Type = "911 Alert", Callsign = text },
        ]));

        var xml = CotXmlWriter.ToXml(evt);

        Assert.Equal(evt, CotXmlReader.Read(xml));
        var document = IndependentXml.Parse(xml);
        Assert.Equal(text, document.Descendants("remarks").Single().Value);
        Assert.Equal(text, document.Descendants("emergency").Single().Value);
    }

    [Fact]
    public void Text_with_crlf_keeps_every_line_end()
    {
        const string text = "line one\r\nline two\rline three\nline four\r\n";
        var evt = Minimal(new CotDetail([new Remarks { Content = text }]));

        var xml = CotXmlWriter.ToXml(evt);

        Assert.Equal(text, CotXmlReader.Read(xml).Detail.Remarks?.Content);
        Assert.Equal(text, IndependentXml.Parse(xml).Descendants("remarks").Single().Value);
    }

    [Fact]
    public void Crlf_in_source_text_is_read_as_lf_like_every_xml_parser()
    {
        var xml = CotXmlWriter.ToXml(Minimal()).Replace("</event>", "<detail><remarks>a\r\nb\rc</remarks></detail></event>");

        Assert.Equal("a\nb\nc", CotXmlReader.Read(xml).Detail.Remarks?.Content);
        Assert.Equal("a\nb\nc", IndependentXml.Parse(xml).Descendants("remarks").Single().Value);
    }

    [Fact]
    public void Characters_xml_cannot_carry_still_give_well_formed_output()
    {
        var evt = Minimal(new CotDetail([new Contact { Callsign = "bell\u0007nul\0" }, new Remarks { Content = "esc\u001B\uFFFF" }]));

        var xml = CotXmlWriter.ToXml(evt);

        Assert.True(IndependentXml.IsWellFormed(xml));
        Assert.Equal("bell\uFFFDnul\uFFFD", CotXmlReader.Read(xml).Detail.Contact?.Callsign);
    }

    // ---- shape of the output -----------------------------------------------------------------------------------

    [Fact]
    public void Declaration_and_layout_follow_atak()
    {
        var xml = CotXmlWriter.ToXml(Minimal(new CotDetail([new Contact { Callsign = "VIKING" }])));

        Assert.StartsWith("<?xml version='1.0' encoding='UTF-8' standalone='yes'?><event version='2.0' uid='writer-1' type='a-f-G-U-C' how='m-g' ", xml);
        Assert.Contains("<point lat='38.889484' lon='-77.035278' hae='12.5' ce='4.9' le='9999999.0'/><detail>", xml);
        Assert.EndsWith("</detail></event>", xml);
        Assert.StartsWith("<event ", CotXmlWriter.ToXml(Minimal(), declaration: false));
        Assert.DoesNotContain("<detail", CotXmlWriter.ToXml(Minimal()));
    }

    [Fact]
    public void Utf8_string_and_buffer_outputs_agree()
    {
        var evt = CotXmlReader.Read(CotSamples.Bytes("custom-unknown.xml"));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        CotXmlWriter.Write(evt, buffer);

        Assert.Equal(CotXmlWriter.ToUtf8(evt), buffer.WrittenSpan.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan), CotXmlWriter.ToXml(evt));
    }

    [Fact]
    public void Every_typed_element_built_in_code_round_trips()
    {
        var evt = Minimal(new CotDetail([
            new Takv { Device = "PIXEL 7", Platform = "ATAK-CIV", Os = "34", Version = "5.1.0.16" },
            new Contact { Callsign = "VIKING", Endpoint = "192.168.1.20:4242:tcp", Phone = "+15555550123" },
            new DroidUid { Droid = "VIKING" },
            new PrecisionLocation { GeopointSource = "GPS", AltitudeSource = "DTED0" },
            new Group { Team = "Cyan", Role = "Team Lead" },
            new Status { Battery = 87 },
            new Track { Course = 271.5, Speed = 1.25 },
            new Chat
            {
                Chatroom = "All Chat Rooms", Id = "All Chat Rooms", Parent = "RootContactGroup", GroupOwner = false,
                MessageId = "m-1", SenderCallsign = "VIKING",
                ChatGroup = new ChatGroup { Id = "All Chat Rooms", Uids = new[] { "ANDROID-1", "All Chat Rooms" } },
            },
            new Remarks { Source = "BAO.F.ATAK.ANDROID-1", To = "All Chat Rooms", Time = "2024-05-01T12:00:00.000Z", Content = "hello" },
            new Emergency { Type = "911 Alert", Cancel = true, Callsign = "VIKING" },
            new Video
            {
                Url = "rtsp://10.0.0.5:8554/live", Uid = "v-1",
                ConnectionEntry = new ConnectionEntry
                {
                    Uid = "v-1", Alias = "Cam", Protocol = "rtsp", Address = "10.0.0.5", Port = 8554, Path = "/live",
                    NetworkTimeout = 12000, BufferTime = -1, RoverPort = -1, RtspReliable = 1, IgnoreEmbeddedKlv = true,
                },
            },
            new Geofence
            {
                Trigger = "Both", Monitor = "All", Tracking = true, ElevationMonitored = true, MinElevation = -10.5,
                MaxElevation = 300, BoundingSphere = double.NaN,
            },
            new Shape
            {
                Ellipse = new Ellipse { Major = 100, Minor = 50.5, Angle = 45 },
                Polyline = new Polyline
                {
                    Closed = true,
                    Vertices = new[] { new Vertex { Lat = 1, Lon = 2, Hae = 3 }, new Vertex { Lat = -1.5, Lon = 179.9 } },
                },
            },
            new Marti { Destinations = new[] { new MartiDest { Callsign = "HAMMER" }, new MartiDest { Uid = "u-2", Mission = "OPS" } } },
            new Link { Uid = "ANDROID-1", Type = "a-f-G-U-C", Relation = "p-p", ParentCallsign = "VIKING", ProductionTime = "2024-05-01T12:00:00.000Z" },
            new Link { Point = "38.1,-77.2,5.0", Callsign = "CP1" },
            new FlowTags { OtherAttributes = new[] { new CotAttribute("TAK-Server-abc", "2024-05-01T12:00:01Z") } },
            OpaqueElement.Parse("<vendor a='1'><inner>text &amp; more</inner></vendor>"),
        ]));

        var xml = CotXmlWriter.ToXml(evt);
        var again = CotXmlReader.Read(xml);

        Assert.Equal(evt, again);
        Assert.True(IndependentXml.IsWellFormed(xml));
        Assert.Equal(evt.Detail.Kinds, IndependentXml.DetailChildNames(xml));
        Assert.Contains("boundingSphere='NaN'", xml);
        Assert.Contains("<vendor a='1'><inner>text &amp; more</inner></vendor>", xml);
    }

    [Fact]
    public void Numbers_use_java_style_whole_numbers_and_round_trip_exactly()
    {
        // The projects run with invariant globalization, so the current culture cannot put a comma in a number.
        var xml = CotXmlWriter.ToXml(Minimal() with { Point = new CotPoint(-33.5, 151, 0, 9999999, 1e-7) });

        Assert.Contains("<point lat='-33.5' lon='151.0' hae='0.0' ce='9999999.0' le='1E-07'/>", xml);
        Assert.Equal(1e-7, CotXmlReader.Read(xml).Point.Le);
    }
}
