using System.Text;
using System.Text.Json;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Json;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot.Json;

public class CotJsonRoundTripTests
{
    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var element in CotJsonSamples.EveryKind()) data.Add(Describe(element));
        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_element_kind_survives_model_to_json_to_model(string kind)
    {
        var element = CotJsonSamples.EveryKind().Single(e => Describe(e) == kind);

        AssertRoundTrip(CotJsonSamples.With(element));
        AssertRoundTrip(CotJsonSamples.With(element with { OtherAttributes = CotJsonSamples.Extras, OtherChildren = CotJsonSamples.ExtraChildren }));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_empty_element_of_every_kind_survives(string kind)
    {
        var element = CotJsonSamples.EveryKind().Single(e => Describe(e) == kind);
        var empty = element is OpaqueElement ? element : (DetailElement)Activator.CreateInstance(element.GetType())!;

        AssertRoundTrip(CotJsonSamples.With(empty));
    }

    [Fact]
    public void An_event_with_every_kind_at_once_survives_in_order()
    {
        var evt = CotJsonSamples.With([.. CotJsonSamples.EveryKind()]);

        var back = AssertRoundTrip(evt);

        Assert.Equal(evt.Detail.Kinds, back.Detail.Kinds);
    }

    [Fact]
    public void The_samples_cover_every_detail_record_in_the_model()
    {
        var records = typeof(DetailElement).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(DetailElement)) && !t.IsAbstract)
            .ToHashSet();
        var sampled = CotJsonSamples.EveryKind().Select(e => e.GetType()).ToHashSet();

        Assert.Empty(records.Except(sampled).Select(t => t.Name));
        Assert.Empty(records.Except(DetailSchemas.ModelledTypes).Except([typeof(OpaqueElement)]).Select(t => t.Name));
    }

    [Fact]
    public void Minimal_event_keeps_its_defaults()
    {
        var evt = new CotEvent { Uid = "u", Type = "t-x-c-t", Time = CotJsonSamples.Time, Start = CotJsonSamples.Time, Stale = CotJsonSamples.Time };

        var back = AssertRoundTrip(evt);

        Assert.Equal("2.0", back.Version);
        Assert.Equal("", back.How);
        Assert.Null(back.Access);
        Assert.True(back.Detail.IsEmpty);
    }

    [Fact]
    public void Extreme_but_valid_numbers_and_times_survive()
    {
        var evt = CotJsonSamples.With(new Track { Course = double.Epsilon, Speed = double.MaxValue }) with
        {
            Point = new CotPoint(-90, 180, double.MinValue, double.PositiveInfinity, double.NegativeInfinity),
            Time = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            Stale = new DateTime(9999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc),
        };

        AssertRoundTrip(evt);
    }

    // Realistic events: what the XML reader makes of ATAK, WinTAK and server output.
    public static TheoryData<string, string> XmlCaptures() => new()
    {
        { "atak self SA", AtakSelfSa },
        { "geochat", GeoChat },
        { "911", Alert911 },
        { "911 cancel", Alert911Cancel },
        { "video", VideoFeed },
        { "route", Route },
        { "geofence circle", GeofenceCircle },
        { "polygon", Polygon },
        { "flow tags and marti", FlowTagsAndMarti },
        { "unknown nested elements", UnknownNested },
    };

    [Theory]
    [MemberData(nameof(XmlCaptures))]
    public void Events_read_from_xml_survive_json_and_write_the_same_xml(string name, string xml)
    {
        var evt = CotXmlReader.Read(xml);

        var back = AssertRoundTrip(evt);

        Assert.Equal(CotXmlWriter.ToXml(evt), CotXmlWriter.ToXml(back));
        Assert.Equal(evt, CotXmlReader.Read(CotXmlWriter.ToXml(back)));
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Sample_captures_in_the_test_project_survive_json()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Samples");
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "*.xml", SearchOption.AllDirectories))
        {
            CotEvent evt;
            try
            {
                evt = CotXmlReader.Read(File.ReadAllBytes(file));
            }
            catch (CotFormatException)
            {
                // Samples of bad XML belong to the XML tests.
                continue;
            }

            Assert.True(evt == CotJson.Deserialize(CotJson.Serialize(evt)), file);
        }
    }

    [Fact]
    public void Geochat_from_xml_keeps_typed_and_unknown_parts_apart()
    {
        var evt = CotXmlReader.Read(GeoChat);

        var json = CotJson.Serialize(evt);
        using var document = JsonDocument.Parse(json);
        var detail = document.RootElement.GetProperty("detail");

        var chat = detail[0];
        Assert.Equal("__chat", chat.GetProperty("element").GetString());
        Assert.Equal("HAMMER", chat.GetProperty("chatroom").GetString());
        Assert.False(chat.GetProperty("groupOwner").GetBoolean());
        Assert.Equal(2, chat.GetProperty("chatGroup").GetProperty("uids").GetArrayLength());
        Assert.StartsWith("<hierarchy>", chat.GetProperty("otherChildren")[0].GetString());
        var serverDestination = detail[2];
        Assert.Equal("__serverdestination", serverDestination.GetProperty("element").GetString());
        Assert.Equal("<__serverdestination destinations='192.168.1.21:4242:tcp:ANDROID-1'/>", serverDestination.GetProperty("xml").GetString());
    }

    [Fact]
    public void Unparsable_typed_attributes_stay_other_attributes()
    {
        // The XML reader keeps battery="full" as an other attribute, since it is not a number.
        var evt = CotXmlReader.Read(Wrap("<status battery='full'/><track course='NaN' speed='x'/>"));

        var back = AssertRoundTrip(evt);

        Assert.Equal(new[] { new CotAttribute("battery", "full") }, back.Detail.Status!.OtherAttributes.ToArray());
        Assert.True(double.IsNaN(back.Detail.Track!.Course!.Value));
        Assert.Contains("\"course\":\"NaN\"", CotJson.Serialize(evt));
    }

    [Fact]
    public void Writes_and_reads_through_a_caller_owned_writer_and_as_lines()
    {
        var evt = CotJsonSamples.SelfSa();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CotJson.WriterOptions)) CotJson.Write(evt, writer);
        Assert.Equal(CotJson.Serialize(evt), Encoding.UTF8.GetString(buffer.WrittenSpan));

        var line = new System.Buffers.ArrayBufferWriter<byte>();
        CotJson.WriteLine(evt, line);
        Assert.Equal(CotJson.Serialize(evt) + "\n", Encoding.UTF8.GetString(line.WrittenSpan));
        Assert.Equal(evt, CotJson.Deserialize(line.WrittenSpan));
    }

    [Fact]
    public void Json_serializer_carries_events_with_the_converter()
    {
        var options = new JsonSerializerOptions { Converters = { new CotEventJsonConverter() } };
        var envelope = new Envelope("feed-1", [CotJsonSamples.SelfSa(), CotXmlReader.Read(GeoChat)]);

        var json = JsonSerializer.Serialize(envelope, options);
        var back = JsonSerializer.Deserialize<Envelope>(json, options)!;

        Assert.Equal("feed-1", back.Name);
        Assert.Equal(envelope.Events, back.Events);
    }

    [Fact]
    public void Reads_properties_in_any_order_and_ignores_unknown_ones()
    {
        const string json = """
            {"detail":[{"role":"Team Member","future":{"a":[1,2,{"b":null}]},"element":"__group","team":"Cyan"},
                       {"xml":"<x/>","element":"x","note":"later versions may add this"}],
             "point":{"le":1,"ce":2,"hae":3,"lon":4,"lat":5,"datum":"WGS84"},
             "stale":"2024-05-01T12:06:00Z","start":"2024-05-01T12:00:00.5+00:00","time":"2024-05-01T12:00:00.000Z",
             "type":"a-f-G","uid":"u","schema":2}
            """;

        var evt = CotJson.Deserialize(json);

        Assert.Equal(new Group { Team = "Cyan", Role = "Team Member" }, evt.Detail.Group);
        Assert.Equal(new OpaqueElement("x", "<x/>"), evt.Detail.Elements[1]);
        Assert.Equal(new CotPoint(5, 4, 3, 2, 1), evt.Point);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 0, 500, DateTimeKind.Utc), evt.Start);
        Assert.Equal("2.0", evt.Version);
    }

    [Fact]
    public void Null_means_absent_for_optional_fields()
    {
        const string json = """
            {"uid":"u","type":"t","time":"2024-05-01T12:00:00Z","start":"2024-05-01T12:00:00Z","stale":"2024-05-01T12:00:00Z",
             "how":null,"access":null,"version":null,"point":{"lat":1,"lon":2,"hae":null},
             "detail":[{"element":"contact","callsign":null,"otherAttributes":null,"otherChildren":null},{"element":"__chat","chatGroup":null}]}
            """;

        var evt = CotJson.Deserialize(json);

        Assert.Equal("", evt.How);
        Assert.Equal(CotPoint.Unknown, evt.Point.Hae);
        Assert.Equal(new Contact(), evt.Detail.Contact);
        Assert.Equal(new Chat(), evt.Detail.Chat);
    }

    private static CotEvent AssertRoundTrip(CotEvent evt)
    {
        var json = CotJson.Serialize(evt);
        var back = CotJson.Deserialize(json);
        Assert.Equal(evt, back);
        Assert.Equal(evt, CotJson.Deserialize(Encoding.UTF8.GetBytes(json)));
        // Stable: the same event always gives the same text.
        Assert.Equal(json, CotJson.Serialize(back));
        return back;
    }

    private static string Describe(DetailElement element) => $"{element.GetType().Name} <{element.Name}>";

    private static string Wrap(string detail) =>
        $"<event version='2.0' uid='u' type='a-f-G' how='m-g' time='2024-05-01T12:00:00Z' start='2024-05-01T12:00:00Z' stale='2024-05-01T12:05:00Z'><point lat='1' lon='2' hae='3' ce='4' le='5'/><detail>{detail}</detail></event>";

    private sealed record Envelope(string Name, CotEvent[] Events)
    {
        public bool Equals(Envelope? other) => other is not null && Name == other.Name && Events.SequenceEqual(other.Events);

        public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    }

    private const string AtakSelfSa = """
        <?xml version='1.0' encoding='UTF-8' standalone='yes'?><event version='2.0' uid='ANDROID-8f3b2c1d9e0a4b67' type='a-f-G-U-C' time='2024-05-01T12:00:03.512Z' start='2024-05-01T12:00:03.512Z' stale='2024-05-01T12:06:18.512Z' how='m-g'><point lat='38.889484' lon='-77.035278' hae='12.345' ce='4.9' le='9999999.0'/><detail><takv os='34' version='5.1.0.16 (b2f1f4e2).1714565000-CIV' device='GOOGLE PIXEL 7' platform='ATAK-CIV'/><contact endpoint='*:-1:stcp' phone='+15555550123' callsign='VIKING'/><uid Droid='VIKING'/><precisionlocation altsrc='GPS' geopointsrc='GPS'/><__group role='Team Lead' name='Cyan'/><status battery='78'/><track course='271.53942871093744' speed='1.3487396240234375'/></detail></event>
        """;

    private const string GeoChat = """
        <event version='2.0' uid='GeoChat.ANDROID-1.All Chat Rooms.0b9d8c7e' type='b-t-f' time='2024-05-01T12:01:30.004Z' start='2024-05-01T12:01:30.004Z' stale='2024-05-02T12:01:30.004Z' how='h-g-i-g-o'>
          <point lat='38.889484' lon='-77.035278' hae='12.345' ce='4.9' le='9999999.0'/>
          <detail>
            <__chat parent='RootContactGroup' groupOwner='false' messageId='0b9d8c7e' chatroom='HAMMER' id='S-1-5-21-1002' senderCallsign='VIKING'>
              <chatgrp uid0='ANDROID-1' uid1='S-1-5-21-1002' id='S-1-5-21-1002'/>
              <hierarchy><group uid='UserGroups' name='Groups'><group uid='TeamGroups' name='Teams'><contact uid='S-1-5-21-1002' name='HAMMER'/></group></group></hierarchy>
            </__chat>
            <link uid='ANDROID-1' type='a-f-G-U-C' relation='p-p'/>
            <__serverdestination destinations='192.168.1.21:4242:tcp:ANDROID-1'/>
            <remarks source='BAO.F.ATAK.ANDROID-1' to='S-1-5-21-1002' time='2024-05-01T12:01:30.004Z'>Copy. Moving to "your" position &amp; waiting, 5 mikes.</remarks>
            <marti><dest callsign='HAMMER'/></marti>
          </detail>
        </event>
        """;

    private const string Alert911 = """
        <event version="2.0" uid="ANDROID-1-9-1-1" type="b-a-o-tbl" time="2024-05-01T12:02:00.331Z" start="2024-05-01T12:02:00.331Z" stale="2024-05-01T12:02:10.331Z" how="h-e">
          <point lat="38.889484" lon="-77.035278" hae="12.345" ce="9999999.0" le="9999999.0"/>
          <detail><link uid="ANDROID-1" type="a-f-G-U-C" relation="p-p"/><contact callsign="VIKING-Alert"/><emergency type="911 Alert">VIKING</emergency></detail>
        </event>
        """;

    private const string Alert911Cancel = """
        <event version="2.0" uid="ANDROID-1-9-1-1" type="b-a-o-can" time="2024-05-01T12:03:00.000Z" start="2024-05-01T12:03:00.000Z" stale="2024-05-01T12:03:10.000Z" how="h-e">
          <point lat="38.889484" lon="-77.035278" hae="12.345" ce="9999999.0" le="9999999.0"/>
          <detail><link uid="ANDROID-1" type="a-f-G-U-C" relation="p-p"/><emergency cancel="true">VIKING</emergency></detail>
        </event>
        """;

    private const string VideoFeed = """
        <event version="2.0" uid="b2f6e0d4" type="b-i-v" time="2024-05-01T12:05:00.000Z" start="2024-05-01T12:05:00.000Z" stale="2024-05-01T13:05:00.000Z" how="m-g">
          <point lat="38.8899" lon="-77.0091" hae="9999999.0" ce="9999999.0" le="9999999.0"/>
          <detail>
            <__video uid="b2f6e0d4" url="rtsp://192.168.1.50:8554/uas1"><ConnectionEntry networkTimeout="12000" uid="b2f6e0d4" path="/uas1" protocol="rtsp" bufferTime="-1" address="192.168.1.50" port="8554" roverPort="-1" rtspReliable="0" ignoreEmbeddedKLV="false" alias="UAS-1 EO"/></__video>
            <contact callsign="UAS-1 EO"/>
            <link uid="ANDROID-1" production_time="2024-05-01T12:04:58.113Z" type="a-f-G-U-C" parent_callsign="VIKING" relation="p-p"/>
          </detail>
        </event>
        """;

    private const string Route = """
        <event version='2.0' uid='c7a1e2b3' type='b-m-r' time='2024-05-01T12:06:00.700Z' start='2024-05-01T12:06:00.700Z' stale='2024-05-02T12:06:00.700Z' how='h-e'>
          <point lat='38.889484' lon='-77.035278' hae='9999999.0' ce='9999999.0' le='9999999.0'/>
          <detail>
            <link uid='0f1e' callsign='CP1' type='b-m-p-w' point='38.889484,-77.035278,12.3' remarks='' relation='c'/>
            <link uid='1a2b' callsign='' type='b-m-p-c' point='38.8912,-77.0301' remarks='' relation='c'/>
            <link uid='2b3c' callsign='CP2' type='b-m-p-w' point='38.8934,-77.0250,9.8' remarks='bridge' relation='c'/>
            <link_attr planningmethod='Infil' color='-16776961' method='Driving' prefix='CP' type='Vehicle' stroke='3' direction='Infil' routetype='Primary' order='Ascending Check Points'/>
            <__routeinfo><__navcues/></__routeinfo>
            <contact callsign='Route Blue'/>
            <remarks/>
            <archive/>
          </detail>
        </event>
        """;

    private const string GeofenceCircle = """
        <event version='2.0' uid='7d2f8e90' type='u-d-c-c' time='2024-05-01T12:07:00.015Z' start='2024-05-01T12:07:00.015Z' stale='2024-05-02T12:07:00.015Z' how='h-e'>
          <point lat='38.8867' lon='-77.0228' hae='9999999.0' ce='9999999.0' le='9999999.0'/>
          <detail>
            <shape>
              <ellipse major='250.0' minor='180.5' angle='360'/>
              <link uid='7d2f8e90.Style' type='b-x-KmlStyle' relation='p-c'><Style><LineStyle><color>ffff0000</color><width>3.0</width></LineStyle><PolyStyle><color>40ff0000</color></PolyStyle></Style></link>
            </shape>
            <__geofence elevationMonitored='false' minElevation='NaN' monitor='TAKUsers' trigger='Entry' tracking='false' maxElevation='NaN' boundingSphere='250.0'/>
            <strokeColor value='-65536'/>
            <contact callsign='Drawing Circle 1'/>
            <precisionlocation altsrc='???'/>
          </detail>
        </event>
        """;

    private const string Polygon = """
        <event version='2.0' uid='poly-1' type='u-d-f' time='2024-05-01T12:08:00.000Z' start='2024-05-01T12:08:00.000Z' stale='2024-05-02T12:08:00.000Z' how='h-e'>
          <point lat='38.88' lon='-77.02' hae='0' ce='9999999.0' le='9999999.0'/>
          <detail><shape><polyline closed='true'><vertex lat='38.1' lon='-77.1' hae='1.5'/><vertex lat='38.2' lon='-77.2'/><vertex lat='38.3' lon='-77.3' hae='9999999.0' extra='kept'/></polyline></shape></detail>
        </event>
        """;

    private const string FlowTagsAndMarti = """
        <event version="2.0" uid="ANDROID-1" type="a-f-G-U-C" time="2024-05-01T12:00:03.512Z" start="2024-05-01T12:00:03.512Z" stale="2024-05-01T12:06:18.512Z" how="m-g" access="Undefined" qos="1-r-c" opex="e"><point lat="38.889484" lon="-77.035278" hae="12.345" ce="4.9" le="9999999.0"/><detail><marti><dest callsign="HAMMER"/><dest uid="ANDROID-2" mission="m1"/></marti><_flow-tags_ TAK-Server-c0581fed="2024-05-01T12:00:03Z" TAK-Server-e87a0e02="2024-05-01T12:00:04Z"/></detail></event>
        """;

    private const string UnknownNested = """
        <event version="2.0" uid="x-1" type="a-u-G" time="2024-05-01T12:00:00Z" start="2024-05-01T12:00:00Z" stale="2024-05-01T12:05:00Z" how="m-g"><point lat="0" lon="0" hae="0" ce="0" le="0"/><detail><vendor:ext xmlns:vendor="urn:x" a="1"><vendor:inner><deeper b='2'>text &lt;escaped&gt; <![CDATA[<cdata>]]><!-- comment --></deeper></vendor:inner></vendor:ext><contact callsign="X" unknownAttr="kept"><nested-unknown/></contact><__group name="Red" role="HQ" extra="1"/></detail></event>
        """;
}
