using System.Text;
using Google.Protobuf;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using TakCan.Protocols.Tests.Cot;
using Wire = TakCan.Protocols.TakProto.Wire;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>
/// The direct wire decoder (<see cref="TakMessageConverter.Decode"/>, <see cref="TakMessageReader"/>) against the
/// reference path it replaced, Google.Protobuf's parser then <see cref="TakMessageConverter.ToCotEvent"/>: on every
/// message the reference accepts, the same event; on every message it refuses, a <see cref="CotFormatException"/>.
/// </summary>
public class TakMessageReaderTests
{
    [Theory]
    [MemberData(nameof(CotSamples.All), MemberType = typeof(CotSamples))]
    public void Every_sample_decodes_as_the_reference_does(string name)
    {
        var evt = CotXmlReader.Read(CotSamples.Bytes(name));
        var bytes = TakMessageConverter.ToTakMessage(evt).ToByteArray();

        var decoded = AssertSameAsReference(bytes);

        TakMessageConverterTests.AssertSameEvent(evt, decoded!);
        Assert.Equal(decoded, TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(evt)));
    }

    [Fact]
    public void Self_sa_decodes_as_the_reference_does()
    {
        var bytes = TakProtoSamples.SelfSa(xmlDetail: "<uid Droid='VIPER 1-1'/><remarks>on &amp; off</remarks>").ToByteArray();

        var decoded = AssertSameAsReference(bytes)!;

        Assert.Equal(["contact", "__group", "precisionlocation", "status", "takv", "track", "uid", "remarks"], decoded.Detail.Kinds);
        Assert.Equal("VIPER 1-1", decoded.Detail.DroidUid?.Droid);
        Assert.Equal("on & off", decoded.Detail.Remarks?.Content);
    }

    [Fact]
    public void Xml_detail_wins_over_the_typed_field()
    {
        var bytes = TakProtoSamples.SelfSa(xmlDetail: "<status battery='12'/><contact callsign='FROM-XML'/>").ToByteArray();

        var decoded = AssertSameAsReference(bytes)!;

        Assert.Equal(["__group", "precisionlocation", "takv", "track", "status", "contact"], decoded.Detail.Kinds);
        Assert.Equal(12, decoded.Detail.Status?.Battery);
        Assert.Equal("FROM-XML", decoded.Detail.Contact?.Callsign);
    }

    [Fact]
    public void Last_scalar_wins_and_embedded_messages_merge()
    {
        var first = TakProtoSamples.SelfSa().ToByteArray();
        // A second CotEvent occurrence: a new uid, an explicit empty how, and a contact with only a callsign, which
        // merges into the first contact (its endpoint stays).
        var second = new WireBytes().MessageField(2, new WireBytes()
            .StringField(5, "SECOND-UID")
            .StringField(9, "")
            .MessageField(15, new WireBytes().MessageField(2, new WireBytes().StringField(2, "MERGED"))));
        var bytes = first.Concat(second.ToArray()).ToArray();

        var decoded = AssertSameAsReference(bytes)!;

        Assert.Equal("SECOND-UID", decoded.Uid);
        Assert.Equal("", decoded.How);
        Assert.Equal("MERGED", decoded.Detail.Contact?.Callsign);
        Assert.Equal("192.168.1.20:4242:tcp", decoded.Detail.Contact?.Endpoint);
    }

    [Fact]
    public void Unknown_fields_and_known_fields_with_another_wire_type_are_skipped()
    {
        var bytes = new WireBytes()
            .VarintField(3, 1_717_243_200_000) // TAK Server's submissionTime
            .Raw(TakProtoSamples.SelfSa().ToByteArray())
            .MessageField(2, new WireBytes()
                .VarintField(5, 7) // uid as a varint: not the schema's wire type, so an unknown field
                .DoubleField(1, 1.5)
                .Fixed32Field(99, 0xDEADBEEF)
                .BytesField(100, [0xFF, 0xFE, 0x00])
                .MessageField(15, new WireBytes().VarintField(1, 3).MessageField(5, new WireBytes().StringField(2, "x"))))
            .VarintField(4, 1_717_243_200_001) // creationTime
            .ToArray();

        var decoded = AssertSameAsReference(bytes)!;

        Assert.Equal("ANDROID-58f3a9c1b2d4e607", decoded.Uid);
        Assert.Equal(87, decoded.Detail.Status?.Battery);
    }

    [Fact]
    public void A_long_xml_detail_keeps_every_element_in_order()
    {
        var links = string.Concat(Enumerable.Range(0, 40).Select(i => $"<link uid='WP-{i}' relation='c' type='b-m-p-w'/>"));
        var bytes = TakProtoSamples.SelfSa(xmlDetail: links + "<remarks>route</remarks>").ToByteArray();

        var decoded = AssertSameAsReference(bytes)!;

        Assert.Equal(6 + 40 + 1, decoded.Detail.Elements.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"WP-{i}"), decoded.Detail.Links.Select(l => l.Uid));
    }

    [Fact]
    public void Decoding_on_many_threads_at_once_gives_the_same_events()
    {
        var messages = Enumerable.Range(0, 400).Select(seed => RandomTakMessages.Bytes(new Random(seed))).ToArray();
        var expected = messages.Select(m => Reference(m).Event).ToArray();

        Parallel.For(0, messages.Length * 10, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var at = i % messages.Length;
            CotEvent? actual;
            try
            {
                actual = TakMessageConverter.Decode(messages[at]);
            }
            catch (CotFormatException)
            {
                actual = null;
            }

            Assert.Equal(expected[at], actual);
        });
    }

    [Fact]
    public void Short_strings_come_from_the_name_cache()
    {
        var bytes = TakProtoSamples.SelfSa().ToByteArray();

        var a = TakMessageConverter.Decode(bytes);
        var b = TakMessageConverter.Decode(bytes);

        Assert.Same(a.Uid, b.Uid);
        Assert.Same(a.Detail.Contact!.Callsign, b.Detail.Contact!.Callsign);
    }

    [Fact]
    public void Randomly_generated_messages_decode_as_the_reference_does()
    {
        var outcomes = new int[2];
        for (var seed = 0; seed < 4000; seed++)
        {
            var random = new Random(seed);
            var bytes = RandomTakMessages.Bytes(random);
            var decoded = AssertSameAsReference(bytes, $"seed {seed}");
            outcomes[decoded is null ? 0 : 1]++;
        }

        // Most generated messages must be valid events, or the comparison would mostly compare two errors.
        Assert.True(outcomes[1] > 2000, $"only {outcomes[1]} of 4000 generated messages were valid events");
        Assert.True(outcomes[0] > 100, $"only {outcomes[0]} of 4000 generated messages were refused");
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> both ways: the same event, or both refuse with <see cref="CotFormatException"/>.
    /// Returns the event, or null when both refused.
    /// </summary>
    internal static CotEvent? AssertSameAsReference(byte[] bytes, string context = "")
    {
        var (expected, expectedError) = Reference(bytes);
        CotEvent? actual = null;
        Exception? actualError = null;
        try
        {
            actual = TakMessageConverter.Decode(bytes);
        }
        catch (Exception e)
        {
            actualError = e;
        }

        var where = $"{context} bytes {Convert.ToHexString(bytes)}";
        if (actualError is not null and not CotFormatException)
            Assert.Fail($"{actualError.GetType().Name} instead of CotFormatException: {actualError} ({where})");
        if (expectedError is not null)
        {
            Assert.True(actualError is not null, $"the reference refused ({expectedError.Message}) but the decoder returned {actual} ({where})");
            return null;
        }

        Assert.True(actualError is null, $"the decoder refused ({actualError?.Message}) what the reference read as {expected} ({where})");
        if (!Equals(expected, actual))
            Assert.Fail($"events differ ({where}):\nreference {Describe(expected!)}\ndecoder   {Describe(actual!)}");
        return actual;
    }

    internal static (CotEvent? Event, Exception? Error) Reference(byte[] bytes)
    {
        try
        {
            return (TakMessageConverter.ToCotEvent(TakMessageCodec.Parse(bytes)), null);
        }
        catch (CotFormatException e)
        {
            return (null, e);
        }
    }

    private static string Describe(CotEvent evt) => $"{evt with { Detail = CotDetail.Empty }} detail {evt.Detail.Elements}";
}

/// <summary>
/// TakMessages with random content built with the generated classes, then extended by hand with what those never
/// write. Everything is drawn from <see cref="Random"/>, so a seed reproduces a message.
/// </summary>
internal static class RandomTakMessages
{
    private static readonly string[] Texts =
    [
        "", "a", "ALPHA-1", "a-f-G-U-C", "h-e", "m-g", "Team Member", "Cyan", "GPS", "DTED0", "*:-1:stcp",
        "ANDROID-589520ccfcd20f01", "4.10.0.3 (d5b1e4b8).1705932452-CIV", "SAMSUNG SM-G998U", new string('x', 40),
        new string('y', 41), "Ünïcødé ✓", "日本語のコールサイン", "🛰️📡 callsign", "tab\there", "<not xml> & 'quotes'",
        "nul\0inside", "\uFEFFbom",
    ];

    private static readonly string[] XmlElements =
    [
        "<uid Droid='ALPHA-1'/>",
        "<contact callsign='FROM-XML' endpoint='10.0.0.1:4242:tcp'/>",
        "<contact callsign='PHONE' phone='+15555550100'/>",
        "<__group name='Red' role='HQ'/>",
        "<precisionlocation geopointsrc='USER' altsrc='DTED0'/>",
        "<status battery='12'/>",
        "<status battery='full'/>",
        "<takv device='d' platform='p' os='o' version='v'/>",
        "<track course='1.5' speed='NaN'/>",
        "<remarks>hi &amp; bye &#x1F600;</remarks>",
        "<remarks source='x'><![CDATA[<raw>]]></remarks>",
        "<link uid='x' relation='p-p' type='a-f-G'/>",
        "<foo bar='1'><baz qux='2'/>text</foo>",
        "<_flow-tags_ TAK-Server-x='2024-01-01T00:00:00Z'/>",
        "<marti><dest callsign='BRAVO'/></marti>",
        "<emergency type='911 Alert'>ALPHA-1</emergency>",
        "<__chat id='All Chat Rooms' chatroom='All Chat Rooms' senderCallsign='A'><chatgrp uid0='a' uid1='b' id='x'/></__chat>",
        "<!-- a comment -->",
        "\n  ",
        "<ünïcødé attr='✓'/>",
    ];

    private static readonly string[] BadXml =
        ["<remarks>unclosed", "<a></b>", "<x y='&bogus;'/>", "<!DOCTYPE x>", "</detail>", "<x a='1' a='2'/>", "<x>\u0001</x>"];

    private static readonly ulong MaxMillis = (ulong)((DateTime.MaxValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond);

    public static byte[] Bytes(Random random)
    {
        var message = new Wire.TakMessage();
        if (random.Next(8) == 0)
            message.TakControl = new Wire.TakControl
            {
                MinProtoVersion = (uint)random.Next(3), MaxProtoVersion = (uint)random.Next(3), ContactUid = Text(random),
            };
        if (random.Next(30) != 0) message.CotEvent = Event(random);
        var bytes = new WireBytes().Raw(message.ToByteArray());
        var extras = random.Next(4) == 0 ? random.Next(1, 4) : 0;
        for (var i = 0; i < extras; i++) AppendExtra(random, bytes);
        return bytes.ToArray();
    }

    private static Wire.CotEvent Event(Random random)
    {
        var evt = new Wire.CotEvent
        {
            // Rarely empty, so that the missing uid and type errors are compared too.
            Uid = random.Next(40) == 0 ? "" : NonEmptyText(random),
            Type = random.Next(40) == 0 ? "" : NonEmptyText(random),
            How = Text(random),
            Access = random.Next(4) == 0 ? Text(random) : "",
            Qos = random.Next(4) == 0 ? Text(random) : "",
            Opex = random.Next(4) == 0 ? Text(random) : "",
            SendTime = Millis(random),
            StartTime = Millis(random),
            StaleTime = Millis(random),
            Lat = random.Next(20) == 0 ? Double(random) : random.NextDouble() * 180 - 90,
            Lon = random.Next(20) == 0 ? Double(random) : random.NextDouble() * 360 - 180,
            Hae = Double(random),
            Ce = Double(random),
            Le = Double(random),
        };
        if (random.Next(6) != 0) evt.Detail = Detail(random);
        return evt;
    }

    private static Wire.Detail Detail(Random random)
    {
        var detail = new Wire.Detail();
        if (random.Next(2) == 0) detail.XmlDetail = Xml(random);
        if (random.Next(3) != 0) detail.Contact = new Wire.Contact { Callsign = Text(random), Endpoint = Text(random) };
        if (random.Next(3) != 0) detail.Group = new Wire.Group { Name = Text(random), Role = Text(random) };
        if (random.Next(3) != 0)
            detail.PrecisionLocation = new Wire.PrecisionLocation { Geopointsrc = Text(random), Altsrc = Text(random) };
        if (random.Next(3) != 0) detail.Status = new Wire.Status { Battery = Battery(random) };
        if (random.Next(3) != 0)
            detail.Takv = new Wire.Takv { Device = Text(random), Platform = Text(random), Os = Text(random), Version = Text(random) };
        if (random.Next(3) != 0) detail.Track = new Wire.Track { Speed = Double(random), Course = Double(random) };
        return detail;
    }

    private static string Xml(Random random)
    {
        if (random.Next(25) == 0) return BadXml[random.Next(BadXml.Length)];
        var xml = new StringBuilder();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++) xml.Append(XmlElements[random.Next(XmlElements.Length)]);
        return xml.ToString();
    }

    /// <summary>Fields appended after the generated message: protobuf merges them into what came before.</summary>
    private static void AppendExtra(Random random, WireBytes bytes)
    {
        switch (random.Next(7))
        {
            case 0:
                bytes.VarintField(random.Next(3, 5), (ulong)random.NextInt64()); // TAK Server's submission and creation times
                break;
            case 1:
                Unknown(random, bytes, 16 + random.Next(1000));
                break;
            case 2:
                bytes.MessageField(1, new WireBytes().StringField(3, Text(random)).VarintField(1, 2));
                break;
            case 3:
            {
                // Known CotEvent fields with another wire type, explicit defaults, repeated scalars, unknown fields.
                var evt = new WireBytes();
                for (var i = random.Next(1, 5); i > 0; i--)
                {
                    switch (random.Next(6))
                    {
                        case 0: Unknown(random, evt, random.Next(1, 16)); break;
                        case 1: evt.StringField(random.Next(2) == 0 ? 9 : 2, Text(random)); break;
                        case 2: evt.VarintField(6 + random.Next(3), Millis(random)); break;
                        case 3: evt.DoubleField(12 + random.Next(3), Double(random)); break;
                        case 4: evt.StringField(5, NonEmptyText(random)); break;
                        default: Unknown(random, evt, 16 + random.Next(100)); break;
                    }
                }

                bytes.MessageField(2, evt);
                break;
            }

            case 4:
            {
                // A second Detail: merges typed fields, replaces xmlDetail.
                var detail = new WireBytes();
                switch (random.Next(5))
                {
                    case 0: detail.StringField(1, Xml(random)); break;
                    case 1: detail.MessageField(2, new WireBytes().StringField(2, Text(random))); break;
                    case 2: detail.MessageField(5, new WireBytes().VarintField(1, Battery(random))); break;
                    case 3: detail.MessageField(7, new WireBytes().DoubleField(2, Double(random)).Fixed32Field(3, 1)); break;
                    default: Unknown(random, detail, random.Next(1, 30)); break;
                }

                bytes.MessageField(2, new WireBytes().MessageField(15, detail));
                break;
            }

            case 5:
                // An empty CotEvent or Detail occurrence changes nothing but presence.
                bytes.MessageField(2, random.Next(2) == 0 ? new WireBytes() : new WireBytes().MessageField(15, new WireBytes()));
                break;
            default:
                bytes.MessageField(2, new WireBytes().MessageField(15, new WireBytes().MessageField(random.Next(2, 8), new WireBytes())));
                break;
        }
    }

    private static void Unknown(Random random, WireBytes bytes, int field)
    {
        switch (random.Next(4))
        {
            case 0: bytes.Tag(field, 0).PaddedVarint((ulong)random.NextInt64(), random.Next(1, 11)); break;
            case 1: bytes.DoubleField(field, random.NextDouble()); break;
            case 2: bytes.Fixed32Field(field, (uint)random.Next()); break;
            default:
                var payload = new byte[random.Next(0, 20)];
                random.NextBytes(payload);
                bytes.BytesField(field, payload);
                break;
        }
    }

    private static string Text(Random random) => random.Next(6) == 0 ? RandomUnicode(random) : Texts[random.Next(Texts.Length)];

    private static string NonEmptyText(Random random)
    {
        var text = Text(random);
        return text.Length == 0 ? "UID-" + random.Next(100) : text;
    }

    private static string RandomUnicode(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 30); i > 0; i--)
        {
            int scalar;
            do scalar = random.Next(4) == 0 ? random.Next(0x10FFFF) : random.Next(0x20, 0x800);
            while (scalar is >= 0xD800 and <= 0xDFFF);
            text.Append(char.ConvertFromUtf32(scalar));
        }

        return text.ToString();
    }

    // Mostly valid values: a time beyond year 9999 refuses the whole event, and most messages should be events.
    private static ulong Millis(Random random) => random.Next(40) switch
    {
        0 => 0,
        1 => MaxMillis,
        2 => MaxMillis + 1,
        3 => ulong.MaxValue,
        4 => (ulong)random.NextInt64(),
        _ => 1_714_564_800_123UL + (ulong)random.Next(),
    };

    private static double Double(Random random) => random.Next(14) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.MaxValue,
        5 => double.Epsilon,
        6 => 9999999.0,
        7 => 90.000001,
        8 => -180.5,
        9 => BitConverter.Int64BitsToDouble(random.NextInt64()),
        _ => random.NextDouble() * 200 - 100,
    };

    private static uint Battery(Random random) => random.Next(16) switch
    {
        0 => 0,
        1 => int.MaxValue,
        2 => (uint)int.MaxValue + 1,
        3 => uint.MaxValue,
        _ => (uint)random.Next(101),
    };
}
