using System.Buffers;
using Google.Protobuf;
using TakCan.Protocols.TakProto;
using TakCan.Protocols.TakProto.Wire;
using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.Tests.TakProto;

public class TakMessageCodecTests
{
    [Fact]
    public void Parses_what_protobuf_serialised()
    {
        var message = TakProtoSamples.SelfSa();

        var parsed = TakMessageCodec.Parse(message.ToByteArray());

        Assert.Equal(message, parsed);
    }

    [Fact]
    public void Round_trips_a_mesh_datagram()
    {
        var message = TakProtoSamples.SelfSa("Ünïcødé 🛰");

        var datagram = TakMessageCodec.EncodeMesh(message);

        Assert.Equal([0xBF, 0x01, 0xBF], datagram[..3]);
        Assert.Equal(message, TakMessageCodec.DecodeMesh(datagram));
    }

    [Fact]
    public void Round_trips_a_stream_through_the_decoder()
    {
        var messages = new[] { TakControlMessages.CreateSupported("ANDROID-1"), TakProtoSamples.SelfSa(), TakProtoSamples.SelfSa("B") };
        var writer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
            writer.Write(TakMessageCodec.EncodeStream(message));
        var viaWriter = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
            TakMessageCodec.WriteStream(viaWriter, message);

        var payloads = new TakStreamDecoder().Feed(writer.WrittenSpan);

        Assert.Equal(writer.WrittenSpan.ToArray(), viaWriter.WrittenSpan.ToArray());
        Assert.Equal(messages, payloads.Select(p => TakMessageCodec.Parse(p.Span)).ToArray());
    }

    [Fact]
    public void Skips_tak_server_submission_and_creation_times()
    {
        var message = TakProtoSamples.SelfSa();
        var plain = message.ToByteArray();
        // TAK Server's TakMessage: submissionTime = 3 and creationTime = 4, both uint64 varints.
        // Written by hand, in front of and behind the known field, since our schema does not have them.
        byte[] submissionTime = [(3 << 3) | 0, .. Varint(1_717_243_200_456)];
        byte[] creationTime = [(4 << 3) | 0, .. Varint(ulong.MaxValue)];
        byte[] fromServer = [.. submissionTime, .. plain, .. creationTime];

        var parsed = TakMessageCodec.Parse(fromServer);

        Assert.Equal(message, parsed);
        // Dropped, not carried along: re-encoding gives the bytes without the server's stamps.
        Assert.Equal(plain, parsed.ToByteArray());
    }

    [Fact]
    public void Skips_unknown_fields_of_every_wire_type_inside_cot_event()
    {
        var message = TakProtoSamples.SelfSa();
        var cotEvent = message.CotEvent.ToByteArray();
        byte[] unknown =
        [
            (100 << 3 | 0) & 0x7F | 0x80, 100 >> 4, 0x2A,                       // field 100, varint
            (101 << 3 | 1) & 0x7F | 0x80, 101 >> 4, 1, 2, 3, 4, 5, 6, 7, 8,     // field 101, fixed64
            (102 << 3 | 2) & 0x7F | 0x80, 102 >> 4, 3, (byte)'a', (byte)'b', (byte)'c', // field 102, bytes
            (103 << 3 | 5) & 0x7F | 0x80, 103 >> 4, 1, 2, 3, 4,                 // field 103, fixed32
        ];
        byte[] cotEventWithExtras = [.. cotEvent, .. unknown];
        byte[] bytes = [0x12, .. Varint((ulong)cotEventWithExtras.Length), .. cotEventWithExtras];

        Assert.Equal(message, TakMessageCodec.Parse(bytes));
    }

    [Fact]
    public void An_empty_payload_is_an_empty_message()
    {
        var parsed = TakMessageCodec.Parse([]);

        Assert.Null(parsed.CotEvent);
        Assert.Null(parsed.TakControl);
    }

    [Theory]
    [InlineData(new byte[] { 0x12, 0x05, 0x0A, 0x03 }, "invalid TakMessage")]                  // truncated submessage
    [InlineData(new byte[] { 0x12, 0x7F }, "invalid TakMessage")]                              // length past the end
    [InlineData(new byte[] { 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, "invalid TakMessage")]      // negative length
    [InlineData(new byte[] { 0x00 }, "invalid TakMessage")]                                    // field number 0
    [InlineData(new byte[] { 0x1B }, "invalid TakMessage")]                                    // group never ends
    [InlineData(new byte[] { 0x1C }, "invalid TakMessage")]                                    // end of a group never started
    public void Malformed_protobuf_becomes_the_domain_error(byte[] payload, string problem)
    {
        var error = Assert.Throws<CotFormatException>(() => TakMessageCodec.Parse(payload));

        Assert.Contains(problem, error.Message);
        Assert.IsType<InvalidProtocolBufferException>(error.InnerException);
    }

    [Fact]
    public void Malformed_payload_in_a_mesh_datagram_points_past_the_header()
    {
        var error = Assert.Throws<CotFormatException>(() => TakMessageCodec.DecodeMesh([0xBF, 0x01, 0xBF, 0x12, 0x7F]));

        Assert.Contains("invalid TakMessage in mesh datagram", error.Message);
        Assert.Equal(3, error.Offset);
    }

    [Fact]
    public void Random_garbage_parses_or_raises_only_the_domain_error()
    {
        var random = new Random(7_2024);
        int parsed = 0;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            var garbage = new byte[random.Next(0, 256)];
            random.NextBytes(garbage);
            if (TryParse(garbage))
                parsed++;
        }

        // Sanity check that the loop exercised both outcomes rather than failing at the first byte.
        Assert.InRange(parsed, 1, 19_999);
    }

    [Fact]
    public void Mutated_valid_messages_parse_or_raise_only_the_domain_error()
    {
        var random = new Random(1_969);
        var valid = TakProtoSamples.SelfSa(xmlDetail: "<remarks>ok</remarks>").ToByteArray();
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            var mutated = (byte[])valid.Clone();
            int changes = 1 + random.Next(4);
            for (int c = 0; c < changes; c++)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            int length = random.Next(4) == 0 ? random.Next(mutated.Length) : mutated.Length;

            TryParse(mutated.AsSpan(0, length));
            TryDecodeMesh([0xBF, 0x01, 0xBF, .. mutated.AsSpan(0, length)]);
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> payload)
    {
        try
        {
            TakMessageCodec.Parse(payload);
            return true;
        }
        catch (CotFormatException)
        {
            return false;
        }
    }

    private static void TryDecodeMesh(ReadOnlySpan<byte> datagram)
    {
        try
        {
            TakMessageCodec.DecodeMesh(datagram);
        }
        catch (CotFormatException)
        {
        }
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }
}
