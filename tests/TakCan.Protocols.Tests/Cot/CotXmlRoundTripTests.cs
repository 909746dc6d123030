using System.Xml;
using System.Xml.Linq;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot;

public class CotXmlRoundTripTests
{
    private const string Viking = "ANDROID-8f3b2c1d9e0a4b67";
    private const string Hammer = "S-1-5-21-2720623347-3037847324-4167270909-1002";

    private static CotEvent Read(string name) => CotXmlReader.Read(CotSamples.Bytes(name));

    private static DateTime Utc(string iso) =>
        DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    // ---- every sample ------------------------------------------------------------------------------------------

    [Fact]
    public void Sample_folder_holds_every_kind_of_capture()
    {
        Assert.True(CotSamples.Names.Count >= 22, $"only {CotSamples.Names.Count} samples in {CotSamples.Folder}");
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Model_is_equal_after_xml_model_xml_model(string name)
    {
        var first = Read(name);
        var xml = CotXmlWriter.ToUtf8(first);
        var second = CotXmlReader.Read(xml);

        Assert.Equal(first, second);
        // Writing is a function of the model: the second write is byte-identical.
        Assert.Equal(xml, CotXmlWriter.ToUtf8(second));
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Reading_bytes_and_reading_the_decoded_string_agree(string name)
    {
        Assert.Equal(Read(name), CotXmlReader.Read(CotSamples.Text(name)));
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void System_xml_finds_every_element_attribute_and_text_of_the_original_in_our_output(string name)
    {
        var original = CotSamples.Text(name);
        var output = CotXmlWriter.ToXml(Read(name));

        IndependentXml.AssertSurvives(original, output);
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Detail_children_keep_their_order(string name)
    {
        var original = CotSamples.Text(name);
        var evt = Read(name);

        var expected = IndependentXml.DetailChildNames(original);
        Assert.Equal(expected, evt.Detail.Kinds.ToArray());
        Assert.Equal(expected, IndependentXml.DetailChildNames(CotXmlWriter.ToXml(evt)));
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Unknown_elements_are_kept_as_the_exact_source_text(string name)
    {
        var text = CotSamples.Text(name);
        var evt = Read(name);
        var output = CotXmlWriter.ToXml(evt);
        var sources = ElementsWithOffsets(text);

        foreach (var opaque in evt.Detail.Elements.SelectMany(OpaqueParts))
        {
            var parsed = IndependentXml.Parse(opaque.Xml).Root!;
            Assert.Equal(opaque.Name, parsed.Name.ToString());
            // The source element that starts with exactly this text and is the same element: the text is its slice.
            var found = sources.Any(s => s.Element.Name == parsed.Name &&
                                         text.AsSpan(s.Offset).StartsWith(opaque.Xml, StringComparison.Ordinal) &&
                                         XNode.DeepEquals(s.Element, parsed));
            Assert.True(found, $"<{opaque.Name}> is not a verbatim slice of {name}: {opaque.Xml}");
            Assert.Contains(opaque.Xml, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Times_are_written_in_utc_with_milliseconds_and_z(string name)
    {
        var evt = Read(name);
        var root = IndependentXml.Parse(CotXmlWriter.ToXml(evt)).Root!;

        foreach (var attribute in new[] { "time", "start", "stale" })
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", root.Attribute(attribute)!.Value);
        Assert.Equal(DateTimeKind.Utc, evt.Time.Kind);
        Assert.Equal(DateTimeKind.Utc, evt.Start.Kind);
        Assert.Equal(DateTimeKind.Utc, evt.Stale.Kind);
    }

    // ---- self SA -----------------------------------------------------------------------------------------------

    [Fact]
    public void Atak_self_sa()
    {
        var evt = Read("atak-sa.xml");

        Assert.Equal(Viking, evt.Uid);
        Assert.Equal("a-f-G-U-C", evt.Type);
        Assert.Equal("m-g", evt.How);
        Assert.Equal("2.0", evt.Version);
        Assert.Equal(Utc("2024-05-01T12:00:03.512Z"), evt.Time);
        Assert.Equal(Utc("2024-05-01T12:00:03.512Z"), evt.Start);
        Assert.Equal(Utc("2024-05-01T12:06:18.512Z"), evt.Stale);
        Assert.Equal(new CotPoint(38.889484, -77.035278, 12.345, 4.9, CotPoint.Unknown), evt.Point);
        var d = evt.Detail;
        Assert.Equal("VIKING", d.Contact?.Callsign);
        Assert.Equal("*:-1:stcp", d.Contact?.Endpoint);
        Assert.Equal("+15555550123", d.Contact?.Phone);
        Assert.Equal("Cyan", d.Group?.Team);
        Assert.Equal("Team Lead", d.Group?.Role);
        Assert.Equal(78, d.Status?.Battery);
        Assert.Equal(271.53942871093744, d.Track?.Course);
        Assert.Equal(1.3487396240234375, d.Track?.Speed);
        Assert.Equal("ATAK-CIV", d.Takv?.Platform);
        Assert.Equal("GOOGLE PIXEL 7", d.Takv?.Device);
        Assert.Equal("34", d.Takv?.Os);
        Assert.Equal("5.1.0.16 (b2f1f4e2).1714565000-CIV", d.Takv?.Version);
        Assert.Equal("GPS", d.PrecisionLocation?.GeopointSource);
        Assert.Equal("GPS", d.PrecisionLocation?.AltitudeSource);
        Assert.Equal("VIKING", d.DroidUid?.Droid);
        Assert.All(d.Elements, e => Assert.True(e.OtherAttributes.IsEmpty && e.OtherChildren.IsEmpty, e.Name));
        Assert.DoesNotContain(d.Elements, e => e is OpaqueElement);
    }

    [Fact]
    public void Wintak_self_sa_with_utf16_declaration_on_utf8_bytes()
    {
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-16\"", CotSamples.Text("wintak-sa.xml"));
        var evt = Read("wintak-sa.xml");

        Assert.Equal(Hammer, evt.Uid);
        Assert.Equal("a-f-G-U-C-I", evt.Type);
        Assert.Equal("h-g-i-g-o", evt.How);
        // WinTAK trims trailing zeros of the fraction: .27 is 270 ms.
        Assert.Equal(Utc("2024-05-01T12:00:05.270Z"), evt.Time);
        Assert.Equal(CotPoint.Unknown, evt.Point.Hae);
        var d = evt.Detail;
        Assert.Equal("HAMMER", d.Contact?.Callsign);
        Assert.Equal("Dark Blue", d.Group?.Team);
        Assert.Equal("HQ", d.Group?.Role);
        Assert.Equal(100, d.Status?.Battery);
        Assert.Equal(0.0, d.Track?.Course);
        Assert.Equal(0.0, d.Track?.Speed);
        Assert.Equal("WinTAK-CIV", d.Takv?.Platform);
        Assert.Equal("Microsoft Windows 11 Pro", d.Takv?.Os);
        Assert.Equal("Dell Inc. Latitude 5440", d.Takv?.Device);
        Assert.Equal("5.1.0.41", d.Takv?.Version);
        Assert.Equal("HAMMER", d.DroidUid?.Droid);
    }

    [Fact]
    public void Itak_self_sa()
    {
        var evt = Read("itak-sa.xml");

        Assert.Equal("6F1C3A2E-9B4D-4E8F-A1C2-7D3E5F6A8B90", evt.Uid);
        Assert.Equal(new CotPoint(38.8977, -77.0365, 15.2, 5.0, 3.0), evt.Point);
        var d = evt.Detail;
        Assert.Equal("SPARROW", d.Contact?.Callsign);
        Assert.Equal("Green", d.Group?.Team);
        Assert.Equal("Medic", d.Group?.Role);
        Assert.Equal(64, d.Status?.Battery);
        Assert.Equal(45.5, d.Track?.Course);
        Assert.Equal(0.0, d.Track?.Speed);
        Assert.Equal("iTAK", d.Takv?.Platform);
        Assert.Equal("iPhone", d.Takv?.Device);
        Assert.Equal("17.4.1", d.Takv?.Os);
        Assert.Equal("2.10.2.710", d.Takv?.Version);
        Assert.Null(d.DroidUid);
    }

    // ---- GeoChat -----------------------------------------------------------------------------------------------

    [Fact]
    public void Geochat_to_all_chat_rooms()
    {
        var evt = Read("geochat-all-rooms.xml");

        Assert.Equal("b-t-f", evt.Type);
        var chat = evt.Detail.Chat!;
        Assert.Equal("All Chat Rooms", chat.Chatroom);
        Assert.Equal("All Chat Rooms", chat.Id);
        Assert.Equal("VIKING", chat.SenderCallsign);
        Assert.Equal("RootContactGroup", chat.Parent);
        Assert.False(chat.GroupOwner);
        Assert.Equal("5c2a7e1f-3b4d-4a6e-9f10-2b3c4d5e6f70", chat.MessageId);
        Assert.Equal([Viking, "All Chat Rooms"], chat.ChatGroup!.Uids.ToArray());
        Assert.Equal("All Chat Rooms", chat.ChatGroup.Id);
        var remarks = evt.Detail.Remarks!;
        Assert.Equal("Rally at CP 2 & hold, ETA <10 min", remarks.Content);
        Assert.Equal("BAO.F.ATAK." + Viking, remarks.Source);
        Assert.Equal("All Chat Rooms", remarks.To);
        Assert.Equal("2024-05-01T12:01:00.120Z", remarks.Time);
        var link = Assert.Single(evt.Detail.Links);
        Assert.Equal((Viking, "a-f-G-U-C", "p-p"), (link.Uid, link.Type, link.Relation));
        Assert.Equal(new string?[] { "HAMMER", "SPARROW" }, evt.Detail.Marti!.Destinations.Select(x => x.Callsign).ToArray());
        var destination = Assert.IsType<OpaqueElement>(evt.Detail.Elements.Single(e => e.Name == "__serverdestination"));
        Assert.Contains("192.168.1.21:4242:tcp:" + Viking, destination.Xml);
    }

    [Fact]
    public void Geochat_direct_message()
    {
        var evt = Read("geochat-direct.xml");

        var chat = evt.Detail.Chat!;
        Assert.Equal("HAMMER", chat.Chatroom);
        Assert.Equal(Hammer, chat.Id);
        Assert.Equal("VIKING", chat.SenderCallsign);
        Assert.Equal([Viking, Hammer], chat.ChatGroup!.Uids.ToArray());
        Assert.Equal(Hammer, chat.ChatGroup.Id);
        var hierarchy = Assert.Single(chat.OtherChildren);
        Assert.Equal("hierarchy", hierarchy.Name);
        Assert.Equal("Copy. Moving to your position, 5 mikes.", evt.Detail.Remarks?.Content);
        Assert.Equal(Hammer, evt.Detail.Remarks?.To);
        Assert.Equal("HAMMER", Assert.Single(evt.Detail.Marti!.Destinations).Callsign);
    }

    // ---- emergencies -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("alert-911.xml", "b-a-o-tbl", "911 Alert")]
    [InlineData("alert-ring-the-bell.xml", "b-a-o-pan", "Ring The Bell")]
    [InlineData("alert-in-contact.xml", "b-a-o-opn", "In Contact")]
    public void Emergency_alerts(string name, string type, string emergencyType)
    {
        var evt = Read(name);

        Assert.Equal(type, evt.Type);
        Assert.Equal(Viking + "-9-1-1", evt.Uid);
        Assert.Equal(emergencyType, evt.Detail.Emergency?.Type);
        Assert.Null(evt.Detail.Emergency?.Cancel);
        Assert.Equal("VIKING", evt.Detail.Emergency?.Callsign);
        Assert.Equal("VIKING-Alert", evt.Detail.Contact?.Callsign);
        var link = Assert.Single(evt.Detail.Links);
        Assert.Equal((Viking, "p-p"), (link.Uid, link.Relation));
        Assert.Equal(TimeSpan.FromSeconds(10), evt.Stale - evt.Time);
    }

    [Fact]
    public void Emergency_cancel()
    {
        var evt = Read("alert-cancel.xml");

        Assert.Equal("b-a-o-can", evt.Type);
        Assert.True(evt.Detail.Emergency?.Cancel);
        Assert.Null(evt.Detail.Emergency?.Type);
        Assert.Equal("VIKING", evt.Detail.Emergency?.Callsign);
        Assert.Single(evt.Detail.Elements);
    }

    // ---- video, drawings, markers ------------------------------------------------------------------------------

    [Fact]
    public void Video_feed()
    {
        var evt = Read("video-feed.xml");

        Assert.Equal("b-i-v", evt.Type);
        var video = evt.Detail.Video!;
        Assert.Equal("rtsp://192.168.1.50:8554/uas1", video.Url);
        Assert.Equal("b2f6e0d4-6a3c-4e1b-9d2f-7c8a9b0c1d2e", video.Uid);
        var entry = video.ConnectionEntry!;
        Assert.Equal("192.168.1.50", entry.Address);
        Assert.Equal(8554, entry.Port);
        Assert.Equal("rtsp", entry.Protocol);
        Assert.Equal("/uas1", entry.Path);
        Assert.Equal("UAS-1 EO", entry.Alias);
        Assert.Equal(12000, entry.NetworkTimeout);
        Assert.Equal(-1, entry.BufferTime);
        Assert.Equal(-1, entry.RoverPort);
        Assert.Equal(0, entry.RtspReliable);
        Assert.False(entry.IgnoreEmbeddedKlv);
        Assert.True(entry.OtherAttributes.IsEmpty);
        var parent = Assert.Single(evt.Detail.Links);
        Assert.Equal(("VIKING", "2024-05-01T12:04:58.113Z"), (parent.ParentCallsign, parent.ProductionTime));
    }

    [Fact]
    public void Route_waypoints_stay_in_order()
    {
        var evt = Read("route.xml");

        Assert.Equal("b-m-r", evt.Type);
        var links = evt.Detail.Links.ToArray();
        Assert.Equal(
            new string?[] { "38.889484,-77.035278,12.3", "38.8912,-77.0301", "38.8934,-77.0250,9.8", "38.8977,-77.0365" },
            links.Select(l => l.Point).ToArray());
        Assert.Equal(new string?[] { "CP1", "", "CP2", "OBJ" }, links.Select(l => l.Callsign).ToArray());
        Assert.Equal(new string?[] { "b-m-p-w", "b-m-p-c", "b-m-p-w", "b-m-p-w" }, links.Select(l => l.Type).ToArray());
        Assert.All(links, l => Assert.Equal("c", l.Relation));
        Assert.Equal("bridge", links[2].Remarks);
        Assert.Equal("Route Blue", evt.Detail.Contact?.Callsign);
        var attributes = Assert.IsType<OpaqueElement>(evt.Detail.Elements.Single(e => e.Name == "link_attr"));
        Assert.Contains("routetype='Primary'", attributes.Xml);
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Name: "__routeinfo", Xml: "<__routeinfo><__navcues/></__routeinfo>" });
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Name: "strokeColor", Xml: "<strokeColor value='-16776961'/>" });
    }

    [Fact]
    public void Circle_with_geofence()
    {
        var evt = Read("circle-geofence.xml");

        Assert.Equal("u-d-c-c", evt.Type);
        var fence = evt.Detail.Geofence!;
        Assert.Equal("Entry", fence.Trigger);
        Assert.Equal("TAKUsers", fence.Monitor);
        Assert.False(fence.Tracking);
        Assert.False(fence.ElevationMonitored);
        Assert.True(double.IsNaN(fence.MinElevation!.Value));
        Assert.True(double.IsNaN(fence.MaxElevation!.Value));
        Assert.Equal(250.0, fence.BoundingSphere);
        var shape = evt.Detail.Shape!;
        Assert.Equal(250.0, shape.Ellipse?.Major);
        Assert.Equal(180.5, shape.Ellipse?.Minor);
        Assert.Equal(360.0, shape.Ellipse?.Angle);
        Assert.Null(shape.Polyline);
        var style = Assert.Single(shape.OtherChildren);
        Assert.Equal("link", style.Name);
        Assert.Contains("<LineStyle><color>ffff0000</color><width>3.0</width></LineStyle>", style.Xml);
        Assert.Contains("<PolyStyle><color>40ff0000</color></PolyStyle>", style.Xml);
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Xml: "<fillColor value='1090453504'/>" });
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Xml: "<strokeColor value='-65536'/>" });
        // Links inside the shape are style, not relations of the event.
        Assert.Empty(evt.Detail.Links);
    }

    [Fact]
    public void Rectangle_corners_stay_in_order()
    {
        var evt = Read("rectangle.xml");

        Assert.Equal("u-d-r", evt.Type);
        var links = evt.Detail.Links.ToArray();
        Assert.Equal(new string?[] { "38.892,-77.04", "38.892,-77.03", "38.885,-77.03", "38.885,-77.04" }, links.Select(l => l.Point).ToArray());
        Assert.All(links, l => Assert.Null(l.Uid));
        Assert.Equal("Rectangle 1", evt.Detail.Contact?.Callsign);
    }

    [Fact]
    public void Spot_marker()
    {
        var evt = Read("spot-marker.xml");

        Assert.Equal("b-m-p-s-m", evt.Type);
        Assert.Equal(7.225993783295152, evt.Point.Hae);
        Assert.Equal("R 1", evt.Detail.Contact?.Callsign);
        Assert.Equal("Possible IED, do not approach", evt.Detail.Remarks?.Content);
        var status = evt.Detail.Status!;
        Assert.Null(status.Battery);
        Assert.Equal(new CotAttribute("readiness", "true"), Assert.Single(status.OtherAttributes));
        var parent = Assert.Single(evt.Detail.Links);
        Assert.Equal((Viking, "p-p", "VIKING"), (parent.Uid, parent.Relation, parent.ParentCallsign));
        Assert.Equal(2, evt.Detail.Elements.Count(e => e.Name == "archive"));
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Xml: "<color argb='-65536'/>" });
        Assert.Contains(evt.Detail.Elements, e => e is OpaqueElement { Xml: "<usericon iconsetpath='COT_MAPPING_SPOTMAP/b-m-p-s-m/-65536'/>" });
    }

    [Fact]
    public void Single_quoted_hostile_marker()
    {
        var evt = Read("single-quotes.xml");

        Assert.Equal("a-h-G-U-C-I", evt.Type);
        Assert.Equal("Undefined", evt.Access);
        Assert.Equal("H.01.121300", evt.Detail.Contact?.Callsign);
        Assert.Equal("DTED2", evt.Detail.PrecisionLocation?.AltitudeSource);
        Assert.Equal("USER", evt.Detail.PrecisionLocation?.GeopointSource);
        Assert.Equal("Dismounts, 2x, moving N", evt.Detail.Remarks?.Content);
    }

    // ---- keepalive and server ----------------------------------------------------------------------------------

    [Fact]
    public void Ping_and_pong()
    {
        var ping = Read("ping.xml");
        var pong = Read("pong.xml");

        Assert.Equal(("t-x-c-t", Viking + "-ping"), (ping.Type, ping.Uid));
        Assert.Equal(("t-x-c-t-r", "takPong"), (pong.Type, pong.Uid));
        Assert.True(ping.Detail.IsEmpty);
        Assert.True(pong.Detail.IsEmpty);
        Assert.Equal(new CotPoint(0, 0, 0, CotPoint.Unknown, CotPoint.Unknown), pong.Point);
    }

    [Fact]
    public void Flow_tags_from_tak_server()
    {
        var evt = Read("server-flow-tags.xml");

        Assert.Equal("Undefined", evt.Access);
        Assert.Equal(
            [
                new CotAttribute("TAK-Server-c0581fed97ff4cb89eb8666a8794670cc9f77ddb-badf-48da-abe7-84545ecda69d", "2024-05-01T12:00:03Z"),
                new CotAttribute("TAK-Server-e87a0e02420b44a08f6032bcf1877745", "2024-05-01T12:00:04Z"),
            ],
            evt.Detail.FlowTags!.Tags.ToArray());
        Assert.Equal("VIKING", evt.Detail.Contact?.Callsign);
        Assert.Equal("_flow-tags_", evt.Detail.Elements[^1].Name);
    }

    // ---- layout and encoding quirks ----------------------------------------------------------------------------

    [Fact]
    public void Point_after_detail()
    {
        var evt = Read("point-after-detail.xml");

        Assert.Equal(new CotPoint(38.9041, -77.0513, 1524.0, 50.0, 30.0), evt.Point);
        Assert.Equal(Utc("2024-05-01T12:12:00Z"), evt.Time);
        Assert.Equal(87.2, evt.Detail.Track?.Course);
        Assert.Equal(128.6, evt.Detail.Track?.Speed);
        Assert.Equal("ICAO A1B2C3, squawk 1200", evt.Detail.Remarks?.Content);
        // Our writer puts point first, as ATAK does.
        var written = CotXmlWriter.ToXml(evt);
        Assert.True(written.IndexOf("<point", StringComparison.Ordinal) < written.IndexOf("<detail", StringComparison.Ordinal));
    }

    [Fact]
    public void Utf16_little_endian_with_bom()
    {
        Assert.Equal([0xFF, 0xFE], CotSamples.Bytes("utf16le-bom.xml")[..2]);
        var evt = Read("utf16le-bom.xml");

        Assert.Equal("b-m-p-s-p-loc", evt.Type);
        Assert.Equal("Café Ümlaut ✈", evt.Detail.Contact?.Callsign);
        Assert.Equal("Landing zone, 東京 marker", evt.Detail.Remarks?.Content);
        Assert.Equal(Utc("2024-05-01T12:14:00.060Z"), evt.Time);
    }

    [Fact]
    public void Utf16_little_endian_without_bom()
    {
        Assert.Equal([(byte)'<', 0], CotSamples.Bytes("utf16le-nobom.xml")[..2]);
        var evt = Read("utf16le-nobom.xml");

        Assert.Equal(Hammer, evt.Uid);
        Assert.Equal(99, evt.Detail.Status?.Battery);
        Assert.Equal(Utc("2024-05-01T12:15:00.500Z"), evt.Time);
        var extension = Assert.IsType<OpaqueElement>(evt.Detail.Elements[^1]);
        Assert.Equal("<x-wintak-ext flag=\"on\">𝄞 surrogate pair text</x-wintak-ext>", extension.Xml);
    }

    [Fact]
    public void Utf16_big_endian_reads_like_the_same_document_in_utf8()
    {
        var text = CotSamples.Text("custom-unknown.xml");
        var withBom = new byte[] { 0xFE, 0xFF }.Concat(System.Text.Encoding.BigEndianUnicode.GetBytes(text)).ToArray();
        var withoutBom = System.Text.Encoding.BigEndianUnicode.GetBytes(text);

        Assert.Equal(Read("custom-unknown.xml"), CotXmlReader.Read(withBom));
        Assert.Equal(Read("custom-unknown.xml"), CotXmlReader.Read(withoutBom));
    }

    [Fact]
    public void Utf8_bom_is_accepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(CotSamples.Bytes("atak-sa.xml")).ToArray();

        Assert.Equal(Read("atak-sa.xml"), CotXmlReader.Read(bytes));
    }

    // ---- unknown content ---------------------------------------------------------------------------------------

    [Fact]
    public void Deeply_unknown_custom_elements()
    {
        var text = CotSamples.Text("custom-unknown.xml");
        var evt = Read("custom-unknown.xml");

        Assert.Equal(("Unclassified", "1-r-c", "e-VigilantGuard24"), (evt.Access, evt.Qos, evt.Opex));
        Assert.Equal(new CotPoint(-33.856784, 151.215297, -12.5, 3.2, 15.0), evt.Point);

        var contact = evt.Detail.Contact!;
        Assert.Equal(("WARHORSE 6", "10.10.0.7:4242:tcp"), (contact.Callsign, contact.Endpoint));
        Assert.Equal(new CotAttribute("radioFreq", "148.500"), Assert.Single(contact.OtherAttributes));
        Assert.Equal("<sensorState mode=\"eo\" zoom='4x'/>", Assert.Single(contact.OtherChildren).Xml);

        Assert.Equal(new string?[] { "Maroon", "White" }, evt.Detail.All<Group>().Select(g => g.Team).ToArray());
        Assert.Equal("Maroon", evt.Detail.Group?.Team);
        Assert.Equal(new CotAttribute("exrole", "RTO"), Assert.Single(evt.Detail.Group!.OtherAttributes));
        Assert.Equal(new CotAttribute("legacy", "yes"), Assert.Single(evt.Detail.DroidUid!.OtherAttributes));
        Assert.Equal("Line one\nLine two, tab:\tend; unicode: Ωμέγα ✓ 😀 & <tag>", evt.Detail.Remarks?.Content);
        Assert.Equal("plugin", evt.Detail.Remarks?.Source);

        var telemetry = Assert.IsType<OpaqueElement>(evt.Detail.Elements.Single(e => e.Name == "uasTelemetry"));
        var start = text.IndexOf("<uasTelemetry", StringComparison.Ordinal);
        var end = text.IndexOf("</uasTelemetry>", StringComparison.Ordinal) + "</uasTelemetry>".Length;
        Assert.Equal(text[start..end], telemetry.Xml);
        Assert.Contains("\r\n", telemetry.Xml);
        Assert.Contains("<![CDATA[<gimbal az=\"12.5\" el=\"-30\"/> & raw > text]]>", telemetry.Xml);
        Assert.Contains("<!-- nested vendor block, order matters -->", telemetry.Xml);

        var state = Assert.IsType<OpaqueElement>(evt.Detail.Elements.Single(e => e.Name == "_plugin_state_"));
        Assert.Equal("<_plugin_state_ a=\"1\" b='2' c=\"line&#10;break&#9;tab\" d=\"  spaced  \" e=\"\"/>", state.Xml);

        // The processing instruction and comments between detail children are not elements; the elements are all there.
        Assert.Equal(
            ["contact", "__group", "uasTelemetry", "_plugin_state_", "uid", "remarks", "__group"],
            evt.Detail.Kinds.ToArray());
    }

    // ---- large elements ----------------------------------------------------------------------------------------

    private static string EventWithDetail(string detail) =>
        "<event version='2.0' uid='big-1' type='u-d-f' how='h-e' time='2024-05-01T12:00:00.000Z' start='2024-05-01T12:00:00.000Z' " +
        $"stale='2024-05-02T12:00:00.000Z'><point lat='38.9' lon='-77.0'/><detail>{detail}</detail></event>";

    [Fact]
    public void Typed_lists_longer_than_64_are_not_cut_off()
    {
        var vertices = string.Concat(Enumerable.Range(0, 100).Select(i => $"<vertex lat='{38 + i / 1000.0:0.000}' lon='-77.0' hae='0.0'/>"));
        var destinations = string.Concat(Enumerable.Range(0, 70).Select(i => $"<dest callsign='C{i}'/>"));
        var uids = string.Concat(Enumerable.Range(0, 70).Select(i => $" uid{i}='ANDROID-{i:x16}'"));
        var xml = EventWithDetail(
            $"<shape><polyline closed='false'>{vertices}</polyline></shape><marti>{destinations}</marti>" +
            $"<__chat chatroom='Big Group' id='big'><chatgrp{uids} id='big'/></__chat>");

        var evt = CotXmlReader.Read(xml);

        var polyline = evt.Detail.Shape!.Polyline!;
        Assert.Equal(100, polyline.Vertices.Count);
        Assert.Empty(polyline.OtherChildren);
        Assert.Equal(38.099, polyline.Vertices[^1].Lat);
        Assert.Equal(Enumerable.Range(0, 70).Select(i => $"C{i}"), evt.Detail.Marti!.Destinations.Select(d => d.Callsign!));
        Assert.Empty(evt.Detail.Marti.OtherChildren);
        var group = evt.Detail.Chat!.ChatGroup!;
        Assert.Equal(Enumerable.Range(0, 70).Select(i => $"ANDROID-{i:x16}"), group.Uids);
        Assert.Equal("big", group.Id);
        Assert.Empty(group.OtherAttributes);
        Assert.Equal(evt, CotXmlReader.Read(CotXmlWriter.ToUtf8(evt)));
        IndependentXml.AssertSurvives(xml, CotXmlWriter.ToXml(evt));
    }

    [Fact]
    public void A_typed_attribute_after_many_unknown_ones_is_still_typed()
    {
        var unknown = string.Concat(Enumerable.Range(0, 70).Select(i => $" x{i}='{i}'"));

        var evt = CotXmlReader.Read(EventWithDetail($"<contact{unknown} callsign='LATE'/>"));

        Assert.Equal("LATE", evt.Detail.Contact?.Callsign);
        Assert.Equal(70, evt.Detail.Contact!.OtherAttributes.Count);
    }

    [Fact]
    public void A_polyline_with_twenty_thousand_vertices_reads_in_linear_time()
    {
        var vertices = new System.Text.StringBuilder();
        for (var i = 0; i < 20_000; i++) vertices.Append("<vertex lat='38.9' lon='-77.0'/>");
        var xml = EventWithDetail($"<shape><polyline>{vertices}</polyline></shape>");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var evt = CotXmlReader.Read(xml);

        Assert.Equal(20_000, evt.Detail.Shape!.Polyline!.Vertices.Count);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Opaque_parse_checks_and_keeps_the_text()
    {
        const string xml = "<vendor x='1'><!-- c --><![CDATA[a<b]]>&amp;</vendor>";

        var element = OpaqueElement.Parse(xml);

        Assert.Equal("vendor", element.Name);
        Assert.Equal(xml, element.Xml);
        Assert.Throws<CotFormatException>(() => OpaqueElement.Parse("<vendor><x></vendor>"));
        Assert.Throws<CotFormatException>(() => OpaqueElement.Parse("<a/><b/>"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /// <summary>Every opaque piece of an element: itself if opaque, else its other children and those of its typed children.</summary>
    private static IEnumerable<OpaqueElement> OpaqueParts(DetailElement element)
    {
        if (element is OpaqueElement opaque)
        {
            yield return opaque;
            yield break;
        }

        foreach (var child in element.OtherChildren) yield return child;
        IEnumerable<DetailElement?> typed = element switch
        {
            Chat c => [c.ChatGroup],
            Video v => [v.ConnectionEntry],
            Shape s => [s.Ellipse, s.Polyline],
            Polyline p => p.Vertices,
            Marti m => m.Destinations,
            _ => [],
        };
        foreach (var child in typed.OfType<DetailElement>())
        foreach (var part in OpaqueParts(child))
            yield return part;
    }

    /// <summary>Every element of the document with the character offset of its '&lt;', found by System.Xml's line info.</summary>
    private static List<(XElement Element, int Offset)> ElementsWithOffsets(string text)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
            if (text[i] is '\r' or '\n') lineStarts.Add(i + 1);
        }

        var document = IndependentXml.Parse(text, LoadOptions.SetLineInfo);
        var result = new List<(XElement, int)>();
        foreach (var element in document.Descendants())
        {
            var info = (IXmlLineInfo)element;
            var offset = lineStarts[info.LineNumber - 1] + info.LinePosition - 2;
            Assert.Equal('<', text[offset]);
            result.Add((element, offset));
        }

        return result;
    }
}
