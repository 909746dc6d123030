using Google.Protobuf;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using static TakCan.Protocols.Tests.TakProto.TakMessageReaderTests;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>
/// Bytes no TAK client sends: <see cref="TakMessageConverter.Decode"/> refuses them with
/// <see cref="CotFormatException"/> only, never accepts what the Google.Protobuf reference path refuses, and where
/// both accept, decodes the same event.
/// </summary>
public class TakMessageReaderHostileTests
{
    private static readonly byte[] SelfSa =
        TakProtoSamples.SelfSa(xmlDetail: "<uid Droid='VIPER 1-1'/><remarks>x</remarks>").ToByteArray();

    [Fact]
    public void Every_truncation_of_a_valid_message_is_refused()
    {
        for (var length = 0; length < SelfSa.Length; length++)
        {
            var error = Assert.Throws<CotFormatException>(() => TakMessageConverter.Decode(SelfSa.AsSpan(0, length)));
            Assert.NotNull(error.Message);
            AssertSameAsReference(SelfSa[..length], $"truncated to {length}");
        }
    }

    [Fact]
    public void Every_single_byte_change_is_refused_or_read_as_the_reference_does()
    {
        var random = new Random(7);
        for (var at = 0; at < SelfSa.Length; at++)
        {
            foreach (var value in new byte[] { 0x00, 0x7F, 0x80, 0xFF, (byte)random.Next(256), (byte)(SelfSa[at] ^ 0x01), (byte)(SelfSa[at] ^ 0x80) })
            {
                var bytes = SelfSa.ToArray();
                bytes[at] = value;
                AssertAcceptsNoMoreThanReference(bytes, $"byte {at} set to {value:X2}");
            }
        }
    }

    [Fact]
    public void Random_bytes_are_refused_or_read_as_the_reference_does()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var bytes = new byte[random.Next(0, 80)];
            random.NextBytes(bytes);
            // Often start like a TakMessage with an event, so the decoder gets past the first tag.
            if (bytes.Length > 2 && random.Next(2) == 0)
            {
                bytes[0] = 0x12;
                bytes[1] = (byte)random.Next(0, bytes.Length - 1);
            }

            AssertAcceptsNoMoreThanReference(bytes, $"seed {seed}");
        }
    }

    [Fact]
    public void Random_mutations_of_random_messages_are_refused_or_read_as_the_reference_does()
    {
        for (var seed = 0; seed < 3000; seed++)
        {
            var random = new Random(seed);
            var bytes = RandomTakMessages.Bytes(random);
            if (bytes.Length == 0) continue;
            for (var i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            AssertAcceptsNoMoreThanReference(bytes, $"seed {seed}");
        }
    }

    [Fact]
    public void Over_long_varints_are_refused()
    {
        // sendTime in 11 bytes; a valid 10-byte one reads as the reference reads it.
        AssertRefused(Event(e => e.Tag(6, 0).PaddedVarint(5, 11)));
        Assert.Equal(AssertSameAsReference(Event(e => e.Tag(6, 0).PaddedVarint(5, 10)))!.Time, DateTime.UnixEpoch.AddMilliseconds(5));
        // A length and a tag in 11 bytes.
        AssertRefused(new WireBytes().Tag(2, 2).PaddedVarint(3, 11).Raw([0x2A, 0x01, 0x41]).ToArray());
        AssertRefused(Event(e => e.PaddedVarint(6 << 3, 11).Varint(5)));
        // The message ends inside a varint.
        AssertRefused(Event(e => e.Raw([0x30, 0x80, 0x80])));
    }

    [Fact]
    public void Invalid_wire_types_and_groups_are_refused()
    {
        AssertRefused(Event(e => e.Tag(50, 4)));
        // Stricter than the reference, on purpose. Google.Protobuf 3.36 takes wire types 6 and 7 for fields without a
        // value (its SkipLastField has no case for them), and skips a complete group (proto2); TAK Protocol is proto3.
        foreach (var bytes in new[]
                 {
                     Event(e => e.Tag(50, 6)),
                     Event(e => e.Tag(50, 7)),
                     Event(e => e.Tag(50, 3).VarintField(1, 1).Tag(50, 4)),
                 })
        {
            Assert.NotNull(Reference(bytes).Event);
            Assert.Throws<CotFormatException>(() => TakMessageConverter.Decode(bytes));
        }
    }

    [Fact]
    public void Field_number_zero_is_refused()
    {
        AssertRefused(Event(e => e.Tag(0, 0).Varint(1)));
        AssertRefused(new WireBytes().Raw([0x00]).Raw(SelfSa).ToArray());
    }

    [Fact]
    public void Lengths_past_the_end_are_refused()
    {
        AssertRefused(new WireBytes().Tag(2, 2).Varint(1000).Raw(SelfSa.AsSpan(2)).ToArray());
        AssertRefused(Event(e => e.Tag(5, 2).Varint(int.MaxValue).Raw("x"u8)));
        AssertRefused(Event(e => e.Tag(5, 2).Varint(uint.MaxValue).Raw("x"u8))); // negative as a 32-bit int
        AssertRefused(Event(e => e.Tag(10, 1).Raw([1, 2, 3])));
        AssertRefused(Event(e => e.Tag(99, 5).Raw([1, 2, 3])));
    }

    [Theory]
    [InlineData(5)] // uid
    [InlineData(9)] // how
    public void Invalid_utf8_in_a_string_is_refused(int field)
    {
        AssertRefused(Event(e => e.BytesField(field, [0x41, 0xC3, 0x28])));
        AssertRefused(Event(e => e.BytesField(field, [0xED, 0xA0, 0x80]))); // an encoded surrogate
    }

    [Fact]
    public void Invalid_utf8_anywhere_the_reference_reads_a_string_is_refused()
    {
        byte[] bad = [0x41, 0xFF];
        AssertRefused(Event(e => e.MessageField(15, new WireBytes().BytesField(1, bad))));
        AssertRefused(Event(e => e.MessageField(15, new WireBytes().MessageField(6, new WireBytes().BytesField(4, bad)))));
        AssertRefused(new WireBytes().MessageField(1, new WireBytes().BytesField(3, bad)).Raw(SelfSa).ToArray());
        // Replaced by a later occurrence, still refused: the reference decodes every occurrence.
        AssertRefused(new WireBytes().Raw(SelfSa).MessageField(2, new WireBytes().BytesField(5, bad).StringField(5, "OK")).ToArray());
    }

    [Fact]
    public void Xml_detail_over_the_event_limit_is_refused()
    {
        var xml = "<remarks>" + new string('x', 1024 * 1024) + "</remarks>";
        AssertRefused(TakProtoSamples.SelfSa(xmlDetail: xml).ToByteArray());
    }

    [Fact]
    public void Xml_detail_is_read_within_the_callers_limits()
    {
        var bytes = TakProtoSamples.SelfSa(xmlDetail: "<a><b><c/></b></a>").ToByteArray();
        var strict = new CotXmlLimits { MaxDepth = 4 };

        Assert.NotNull(TakMessageConverter.Decode(bytes));
        Assert.Throws<CotFormatException>(() => TakMessageConverter.Decode(bytes, strict));
        Assert.Throws<CotFormatException>(() => TakMessageConverter.DecodeMesh(TakProtocolFraming.EncodeMesh(bytes), strict));
    }

    [Fact]
    public void Errors_name_the_offset_in_the_mesh_datagram()
    {
        var datagram = TakProtocolFraming.EncodeMesh(Event(e => e.Tag(15, 7)));
        var error = Assert.Throws<CotFormatException>(() => TakMessageConverter.DecodeMesh(datagram));
        Assert.Equal(datagram.Length - 1, error.Offset);
        Assert.Contains("wire type 7", error.Message);
    }

    /// <summary>The self SA with <paramref name="append"/>'s fields appended inside its CotEvent.</summary>
    private static byte[] Event(Action<WireBytes> append)
    {
        var evt = new WireBytes().Raw(TakProtoSamples.SelfSa().CotEvent.ToByteArray());
        append(evt);
        return new WireBytes().MessageField(2, evt).ToArray();
    }

    private static void AssertRefused(byte[] bytes)
    {
        Assert.Throws<CotFormatException>(() => TakMessageConverter.Decode(bytes));
        Assert.NotNull(Reference(bytes).Error);
    }

    /// <summary>
    /// Only <see cref="CotFormatException"/>; and an event only when the reference reads the same one. The reference
    /// may accept what the decoder refuses only for a group or wire type 6 or 7, which Google.Protobuf skips.
    /// </summary>
    private static void AssertAcceptsNoMoreThanReference(byte[] bytes, string context)
    {
        CotEvent? actual = null;
        try
        {
            actual = TakMessageConverter.Decode(bytes);
        }
        catch (CotFormatException e)
        {
            var (reference, _) = Reference(bytes);
            Assert.True(reference is null || e.Message.Contains("starts a group", StringComparison.Ordinal) ||
                        e.Message.Contains("invalid wire type", StringComparison.Ordinal),
                $"refused ({e.Message}) what the reference read as {reference} ({context}, bytes {Convert.ToHexString(bytes)})");
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{e.GetType().Name} instead of CotFormatException: {e} ({context}, bytes {Convert.ToHexString(bytes)})");
        }

        var (expected, error) = Reference(bytes);
        Assert.True(error is null, $"accepted what the reference refused ({error?.Message}) ({context}, bytes {Convert.ToHexString(bytes)})");
        Assert.Equal(expected, actual);
    }
}
