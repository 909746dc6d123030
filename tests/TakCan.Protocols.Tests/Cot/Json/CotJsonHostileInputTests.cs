using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Json;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot.Json;

/// <summary>Whatever arrives, the reader answers with an event or a <see cref="CotFormatException"/>, nothing else.</summary>
public class CotJsonHostileInputTests
{
    private const string Head = """{"uid":"u","type":"a-f-G","time":"2024-05-01T12:00:00Z","start":"2024-05-01T12:00:00Z","stale":"2024-05-01T12:05:00Z","point":{"lat":1,"lon":2}""";

    private static string WithDetail(string items) => $"{Head},\"detail\":[{items}]}}";

    [Fact]
    public void Ten_thousand_levels_of_nesting_are_refused()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);

        AssertRefused($"{{\"uid\":\"u\",\"future\":{deep}}}", "maximum configured depth");
        AssertRefused(deep, "expected an event object, found an array");
        AssertRefused(WithDetail($"{{\"element\":\"contact\",\"callsign\":{deep}}}"), "maximum configured depth");
        var deepObjects = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        AssertRefused(deepObjects, "maximum configured depth");
    }

    [Fact]
    public void Ten_thousand_levels_of_xml_inside_json_are_refused()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));

        AssertRefused(WithDetail($"{{\"element\":\"a\",\"xml\":\"{xml}\"}}"), "detail[0].xml: not one well-formed XML element");
        AssertRefused(WithDetail($"{{\"element\":\"contact\",\"otherChildren\":[\"{xml}\"]}}"), "detail[0].otherChildren[0]");
    }

    [Fact]
    public void Xml_is_held_to_the_depth_it_will_have_inside_the_event()
    {
        // Detail items sit at depth 3 in XML, so 30 levels fit under the XML reader's default of 32 and 31 do not.
        string Nest(int levels) => string.Concat(Enumerable.Repeat("<a>", levels)) + string.Concat(Enumerable.Repeat("</a>", levels));

        var accepted = CotJson.Deserialize(WithDetail($"{{\"element\":\"a\",\"xml\":\"{Nest(30)}\"}}"));
        Assert.Equal(accepted, CotXmlReader.Read(CotXmlWriter.ToXml(accepted)));
        AssertRefused(WithDetail($"{{\"element\":\"a\",\"xml\":\"{Nest(31)}\"}}"), "nested deeper");
    }

    [Fact]
    public void Inputs_over_the_size_limit_are_refused_before_parsing()
    {
        var huge = $"{{\"uid\":\"{new string('x', 2 * 1024 * 1024)}\"}}";

        var fromString = Assert.Throws<CotFormatException>(() => CotJson.Deserialize(huge));
        var fromBytes = Assert.Throws<CotFormatException>(() => CotJson.Deserialize(Encoding.UTF8.GetBytes(huge)));

        Assert.Contains("above the limit of 1048576 bytes", fromString.Message);
        Assert.Contains("above the limit of 1048576 bytes", fromBytes.Message);
        Assert.Throws<CotFormatException>(() => CotJson.Deserialize(Head + "}", new CotJsonLimits { MaxEventBytes = 10 }));
    }

    public static TheoryData<string, string> WrongTypes() => new()
    {
        { """{"uid":1}""", "uid: expected a string, found a number" },
        { Head.Replace("\"type\":\"a-f-G\"", "\"type\":[]") + "}", "type: expected a string, found an array" },
        { Head.Replace("\"time\":\"2024-05-01T12:00:00Z\"", "\"time\":1714564800") + "}", "time: expected a time string" },
        { Head.Replace("\"time\":\"2024-05-01T12:00:00Z\"", "\"time\":\"yesterday\"") + "}", "time: \"yesterday\" is not an ISO 8601 time" },
        { Head.Replace("\"stale\":\"2024-05-01T12:05:00Z\"", "\"stale\":\"2024-02-30T12:05:00Z\"") + "}", "stale: \"2024-02-30T12:05:00Z\" is not an ISO 8601 time" },
        { Head.Replace("{\"lat\":1,\"lon\":2}", "\"1,2\"") + "}", "point: expected an object, found a string" },
        { Head.Replace("\"lat\":1", "\"lat\":\"1\"") + "}", "point.lat: \"1\" is not a number" },
        { Head.Replace("\"lat\":1", "\"lat\":true") + "}", "point.lat: expected a number, found a boolean" },
        { Head.Replace("\"lat\":1", "\"lat\":91") + "}", "point.lat: 91.0 is outside -90..90" },
        { Head.Replace("\"lat\":1", "\"lat\":\"NaN\"") + "}", "point.lat: NaN is outside -90..90" },
        { Head.Replace("\"lon\":2", "\"lon\":1e400") + "}", "point.lon: 1e400 is outside the range of a double" },
        { $"{Head},\"detail\":{{}}}}", "detail: expected an array, found an object" },
        { WithDetail("42"), "detail[0]: expected an object, found a number" },
        { WithDetail("{\"callsign\":\"x\"}"), "detail[0].element: missing (required)" },
        { WithDetail("{\"element\":7}"), "detail[0].element: expected a string, found a number" },
        { WithDetail("{\"element\":\"mystery\",\"a\":1}"), "detail[0]: element 'mystery' is not one TAK Can models, so it needs \"xml\"" },
        { WithDetail("{\"element\":\"status\",\"battery\":1.5}"), "detail[0].battery: 1.5 is not a whole number" },
        { WithDetail("{\"element\":\"status\",\"battery\":\"78\"}"), "detail[0].battery: expected a whole number, found a string" },
        { WithDetail("{\"element\":\"__chat\",\"groupOwner\":\"true\"}"), "detail[0].groupOwner: expected true or false, found a string" },
        { WithDetail("{\"element\":\"__chat\",\"chatGroup\":{\"uids\":[\"a\",null]}}"), "detail[0].chatGroup.uids[1]: expected a string, found null" },
        { WithDetail("{\"element\":\"__chat\",\"chatGroup\":[]}"), "detail[0].chatGroup: expected an object, found an array" },
        { WithDetail("{\"element\":\"__video\",\"connectionEntry\":{\"port\":1e10}}"), "detail[0].connectionEntry.port: 1e10 is not a whole number" },
        { WithDetail("{\"element\":\"shape\",\"polyline\":{\"vertices\":[{\"lat\":1},2]}}"), "detail[0].polyline.vertices[1]: expected an object, found a number" },
        { WithDetail("{\"element\":\"contact\",\"otherAttributes\":[\"a\"]}"), "detail[0].otherAttributes: expected an object, found an array" },
        { WithDetail("{\"element\":\"contact\",\"otherAttributes\":{\"a\":1}}"), "detail[0].otherAttributes.a: expected a string, found a number" },
        { WithDetail("{\"element\":\"contact\",\"otherChildren\":\"<a/>\"}"), "detail[0].otherChildren: expected an array, found a string" },
        { WithDetail("{\"element\":\"contact\",\"otherChildren\":[{}]}"), "detail[0].otherChildren[0]: expected a string of XML, found an object" },
        { WithDetail("{\"element\":\"x\",\"xml\":null}"), "detail[0].xml: expected a string of XML, found null" },
        { WithDetail("{\"element\":\"x\",\"xml\":5}"), "detail[0].xml: expected a string, found a number" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void Wrong_types_name_the_field(string json, string message)
    {
        AssertRefused(json, message);
    }

    public static TheoryData<string, string> MissingOrInvalid() => new()
    {
        { "{}", "uid: missing (required)" },
        { Head.Replace("\"uid\":\"u\"", "\"uid\":\"\"") + "}", "uid: must not be empty" },
        { Head.Replace("\"type\":\"a-f-G\",", "") + "}", "type: missing (required)" },
        { Head.Replace("\"start\":\"2024-05-01T12:00:00Z\",", "") + "}", "start: missing (required)" },
        { Head.Replace(",\"point\":{\"lat\":1,\"lon\":2}", "") + "}", "point: missing (required)" },
        { Head.Replace("\"lon\":2", "\"hae\":2") + "}", "point.lon: missing (required)" },
        { Head.Replace("\"uid\":\"u\"", "\"uid\":\"u\",\"uid\":\"v\"") + "}", "uid: appears twice" },
        { Head.Replace("\"lat\":1", "\"lat\":1,\"lat\":2") + "}", "point.lat: appears twice" },
        { WithDetail("{\"element\":\"contact\",\"element\":\"__group\"}"), "detail[0].element: appears twice" },
        { WithDetail("{\"element\":\"contact\",\"callsign\":\"a\",\"callsign\":\"b\"}"), "detail[0].callsign: appears twice" },
        { WithDetail("{\"element\":\"contact\",\"otherAttributes\":{\"a\":\"1\",\"a\":\"2\"}}"), "detail[0].otherAttributes: 'a' appears twice" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"<y/>\"}"), "detail[0].xml: the XML is <y> but \"element\" says 'x'" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"<x>\"}"), "detail[0].xml: not one well-formed XML element" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"<x/><x/>\"}"), "detail[0].xml: not one well-formed XML element" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"text\"}"), "detail[0].xml: not one well-formed XML element" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>\"}"), "detail[0].xml: not one well-formed XML element" },
        { WithDetail("{\"element\":\"x\",\"xml\":\"<x>&e;</x>\"}"), "undefined entity" },
        { WithDetail("{\"element\":\"contact\",\"otherChildren\":[\"<a></b>\"]}"), "detail[0].otherChildren[0]: not one well-formed XML element" },
        { Head + "} trailing", "invalid JSON" },
        { Head + "}{}", "invalid JSON" },
        { "[" + Head + "}]", "expected an event object, found an array" },
        { "", "invalid JSON" },
        { "   ", "invalid JSON" },
        { "null", "expected an event object, found null" },
        { "// comment\n" + Head + "}", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(MissingOrInvalid))]
    public void Missing_duplicate_and_invalid_values_are_refused(string json, string message)
    {
        AssertRefused(json, message);
    }

    [Theory]
    [InlineData("x' onload='1")]
    [InlineData("a><script/><b")]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a b")]
    [InlineData("a=b")]
    [InlineData("a\uFFFF")]
    public void Attribute_names_that_would_break_the_xml_are_refused(string name)
    {
        var json = WithDetail($"{{\"element\":\"contact\",\"otherAttributes\":{{\"{name}\":\"v\"}}}}");

        AssertRefused(json, "is not an XML attribute name");
    }

    [Fact]
    public void Everything_the_reader_accepts_writes_valid_xml()
    {
        const string json = """{"element":"contact","callsign":"a'b\"<c>&\u0001","otherAttributes":{"ns:x-y.z_1":"'\"<>&\n"}}""";
        var evt = CotJson.Deserialize(WithDetail(json));

        var again = CotXmlReader.Read(CotXmlWriter.ToXml(evt));

        Assert.Equal("a'b\"<c>&\uFFFD", again.Detail.Contact!.Callsign);
        Assert.Equal(new CotAttribute("ns:x-y.z_1", "'\"<>&\n"), again.Detail.Contact.OtherAttributes[0]);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Head + "}");
        bytes[8] = 0xFF;

        var error = Assert.Throws<CotFormatException>(() => CotJson.Deserialize(bytes));

        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public void Every_truncation_of_a_real_event_is_refused()
    {
        var json = CotJson.Serialize(CotJsonSamples.With([.. CotJsonSamples.EveryKind()]));

        for (var length = 0; length < json.Length; length++)
            Assert.Throws<CotFormatException>(() => CotJson.Deserialize(json[..length]));
    }

    [Fact]
    public void Random_corruption_gives_an_event_or_a_format_error_only()
    {
        var original = Encoding.UTF8.GetBytes(CotJson.Serialize(CotJsonSamples.With([.. CotJsonSamples.EveryKind()])));
        var random = new Random(20240501);
        var interesting = "{}[]\",:\\0123456789-+.eE ntfaxu<>/&'"u8.ToArray();
        for (var round = 0; round < 3000; round++)
        {
            var bytes = (byte[])original.Clone();
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
            }

            try
            {
                CotJson.Deserialize(bytes);
            }
            catch (CotFormatException)
            {
            }
        }
    }

    [Fact]
    public void Hostile_streams_yield_items_not_exceptions()
    {
        var sa = CotJson.Serialize(CotJsonSamples.SelfSa());
        var text = string.Join('\n',
            sa,
            new string('[', 10_000),
            "{\"uid\":" + new string('"', 3),
            "\"just a string\"",
            "123",
            "{\"uid\":\"u\",\"future\":" + new string('{', 5000),
            "{\"uid\":\"\\uD800\"}",
            sa);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var items = CotJson.ReadAll(stream).ToList();

        Assert.Equal(8, items.Count);
        Assert.Equal(CotJsonSamples.SelfSa(), items[0].Event);
        Assert.All(items.Skip(1).Take(6), i => Assert.False(i.IsEvent));
        Assert.Equal(CotJsonSamples.SelfSa(), items[7].Event);
    }

    [Fact]
    public void Escaped_lone_surrogates_are_refused()
    {
        AssertRefused(WithDetail("{\"element\":\"contact\",\"callsign\":\"a\\uD800b\"}"), "detail[0].callsign: invalid string");
        AssertRefused(WithDetail("{\"element\":\"\\uDC00\"}"), "detail[0]: invalid string");
    }

    [Fact]
    public void Converter_errors_are_format_errors_too()
    {
        var options = new System.Text.Json.JsonSerializerOptions { Converters = { new CotEventJsonConverter() } };

        var error = Assert.Throws<CotFormatException>(() => System.Text.Json.JsonSerializer.Deserialize<CotEvent[]>("[{\"uid\":\"u\"}]", options));

        Assert.Contains("type: missing (required)", error.Message);
    }

    private static void AssertRefused(string json, string message)
    {
        var error = Assert.Throws<CotFormatException>(() => CotJson.Deserialize(json));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
