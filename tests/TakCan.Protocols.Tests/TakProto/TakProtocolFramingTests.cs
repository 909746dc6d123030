using System.Buffers;
using System.Text;
using TakCan.Protocols.TakProto;
using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.Tests.TakProto;

public class TakProtocolFramingTests
{
    private static readonly byte[] Payload = [0x12, 0x03, 0x0A, 0x01, 0x61];

    [Fact]
    public void Mesh_header_is_magic_version_magic()
    {
        var datagram = TakProtocolFraming.EncodeMesh(Payload);

        Assert.Equal([0xBF, 0x01, 0xBF, .. Payload], datagram);
    }

    [Fact]
    public void Mesh_round_trips_through_span_and_memory()
    {
        var datagram = TakProtocolFraming.EncodeMesh(Payload);

        var fromSpan = TakProtocolFraming.DecodeMesh(datagram.AsSpan(), out int spanVersion);
        var fromMemory = TakProtocolFraming.DecodeMesh(datagram.AsMemory(), out int memoryVersion);

        Assert.Equal(Payload, fromSpan.ToArray());
        Assert.Equal(Payload, fromMemory.ToArray());
        Assert.Equal(1, spanVersion);
        Assert.Equal(1, memoryVersion);
    }

    [Fact]
    public void Mesh_buffer_writer_matches_array_encoding()
    {
        var writer = new ArrayBufferWriter<byte>();

        TakProtocolFraming.WriteMesh(writer, Payload);

        Assert.Equal(TakProtocolFraming.EncodeMesh(Payload), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Mesh_version_uses_a_varint()
    {
        var datagram = TakProtocolFraming.EncodeMesh(Payload, version: 300);

        Assert.Equal([0xBF, 0xAC, 0x02, 0xBF], datagram[..4]);
        var error = Assert.Throws<CotFormatException>(() => TakProtocolFraming.DecodeMesh(datagram.AsSpan(), out _));
        Assert.Contains("unsupported TAK protocol version 300", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { }, "empty datagram", 0)]
    [InlineData(new byte[] { 0x3C, 0x3F, 0x78 }, "first byte is 0x3C", 0)]
    [InlineData(new byte[] { 0xBF }, "truncated mesh protocol version varint", 1)]
    [InlineData(new byte[] { 0xBF, 0x81 }, "truncated mesh protocol version varint", 2)]
    [InlineData(new byte[] { 0xBF, 0x02, 0xBF, 0x12, 0x00 }, "unsupported TAK protocol version 2", 1)]
    [InlineData(new byte[] { 0xBF, 0x00, 0xBF, 0x12, 0x00 }, "unsupported TAK protocol version 0", 1)]
    [InlineData(new byte[] { 0xBF, 0x01 }, "datagram ends before the second 0xBF", 2)]
    [InlineData(new byte[] { 0xBF, 0x01, 0x12, 0x00 }, "0x12 after the version, expected 0xBF", 2)]
    [InlineData(new byte[] { 0xBF, 0x01, 0xBF }, "empty TakMessage payload", 3)]
    [InlineData(new byte[] { 0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xBF, 0x12 }, "exceeds 2147483647", 1)]
    [InlineData(new byte[] { 0xBF, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0xBF }, "longer than 10 bytes", 1)]
    public void Bad_mesh_headers_fail_with_what_and_where(byte[] datagram, string problem, long offset)
    {
        var error = Assert.Throws<CotFormatException>(() => TakProtocolFraming.DecodeMesh(datagram.AsSpan(), out _));

        Assert.Contains(problem, error.Message);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Mesh_accepts_a_non_minimal_version_varint()
    {
        // 10 bytes is the protobuf limit; padding with zero groups is legal if odd.
        byte[] datagram = [0xBF, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0xBF, .. Payload];

        var payload = TakProtocolFraming.DecodeMesh(datagram.AsSpan(), out int version);

        Assert.Equal(1, version);
        Assert.Equal(Payload, payload.ToArray());
    }

    [Fact]
    public void Encoding_version_0_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TakProtocolFraming.EncodeMesh(Payload, version: 0));
    }

    [Theory]
    [InlineData(0, new byte[] { 0xBF, 0x00 })]
    [InlineData(1, new byte[] { 0xBF, 0x01 })]
    [InlineData(127, new byte[] { 0xBF, 0x7F })]
    [InlineData(128, new byte[] { 0xBF, 0x80, 0x01 })]
    [InlineData(16_383, new byte[] { 0xBF, 0xFF, 0x7F })]
    [InlineData(16_384, new byte[] { 0xBF, 0x80, 0x80, 0x01 })]
    [InlineData(int.MaxValue, new byte[] { 0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })]
    public void Stream_header_is_magic_and_length_varint(int length, byte[] expected)
    {
        Span<byte> header = stackalloc byte[TakProtocolFraming.MaxStreamHeaderBytes];

        int written = TakProtocolFraming.WriteStreamHeader(header, length);

        Assert.Equal(expected, header[..written].ToArray());
        Assert.Equal(written, TakProtocolFraming.StreamHeaderSize(length));
    }

    [Fact]
    public void Stream_frame_is_header_then_payload()
    {
        var frame = TakProtocolFraming.EncodeStream(Payload);
        var writer = new ArrayBufferWriter<byte>();
        TakProtocolFraming.WriteStream(writer, Payload);

        Assert.Equal([0xBF, 0x05, .. Payload], frame);
        Assert.Equal(frame, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Stream_header_refuses_a_short_destination()
    {
        var buffer = new byte[2];

        Assert.Throws<ArgumentException>(() => TakProtocolFraming.WriteStreamHeader(buffer, 128));
    }

    [Fact]
    public void Tells_tak_protocol_from_xml()
    {
        Assert.True(TakProtocolFraming.LooksLikeTakProtocol(TakProtocolFraming.EncodeMesh(Payload)));
        Assert.True(TakProtocolFraming.LooksLikeTakProtocol(TakProtocolFraming.EncodeStream(Payload)));
        Assert.False(TakProtocolFraming.LooksLikeTakProtocol("<?xml version=\"1.0\"?><event/>"u8));
        Assert.False(TakProtocolFraming.LooksLikeTakProtocol(Encoding.UTF8.GetPreamble()));
        Assert.False(TakProtocolFraming.LooksLikeTakProtocol([]));
    }
}
