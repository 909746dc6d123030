using System.Buffers;
using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// The two TAK Protocol headers (ATAK-CIV takproto/README.md):
/// mesh <c>0xBF &lt;varint version&gt; 0xBF &lt;TakMessage&gt;</c>, one message per UDP datagram, and
/// streaming <c>0xBF &lt;varint length&gt; &lt;TakMessage&gt;</c>, messages back to back on TCP.
/// Varints are protobuf base-128, least significant group first.
/// </summary>
public static class TakProtocolFraming
{
    /// <summary>First byte of every TAK Protocol header; never the first byte of CoT XML.</summary>
    public const byte Magic = 0xBF;

    /// <summary>The one TAK Protocol version this decoder understands.</summary>
    public const int SupportedVersion = 1;

    /// <summary>Protobuf caps a varint at 10 bytes (64 bits in 7-bit groups).</summary>
    public const int MaxVarintBytes = 10;

    /// <summary>Largest stream header: the magic byte and a length varint of at most 5 bytes (int range).</summary>
    public const int MaxStreamHeaderBytes = 1 + 5;

    /// <summary>
    /// True when <paramref name="data"/> starts with the TAK Protocol magic byte, false for anything else,
    /// such as legacy (version 0) CoT XML, which starts with '&lt;', a BOM or whitespace.
    /// </summary>
    public static bool LooksLikeTakProtocol(ReadOnlySpan<byte> data) => !data.IsEmpty && data[0] == Magic;

    // ---- Mesh ---------------------------------------------------------------------------------

    /// <summary>Size of the mesh header for <paramref name="version"/>.</summary>
    public static int MeshHeaderSize(int version)
    {
        CheckEncodableVersion(version);
        return 2 + VarintSize((uint)version);
    }

    /// <summary>Writes the mesh header into <paramref name="destination"/> and returns its size.</summary>
    public static int WriteMeshHeader(Span<byte> destination, int version = SupportedVersion)
    {
        int size = MeshHeaderSize(version);
        if (destination.Length < size)
            throw new ArgumentException($"need {size} bytes for the mesh header, have {destination.Length}", nameof(destination));
        destination[0] = Magic;
        int written = 1 + WriteVarint(destination[1..], (uint)version);
        destination[written] = Magic;
        return written + 1;
    }

    /// <summary>Builds one mesh datagram: header, then <paramref name="payload"/> (a serialised TakMessage).</summary>
    public static byte[] EncodeMesh(ReadOnlySpan<byte> payload, int version = SupportedVersion)
    {
        var datagram = new byte[MeshHeaderSize(version) + payload.Length];
        int header = WriteMeshHeader(datagram, version);
        payload.CopyTo(datagram.AsSpan(header));
        return datagram;
    }

    /// <summary>Appends one mesh datagram to <paramref name="writer"/>.</summary>
    public static void WriteMesh(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload, int version = SupportedVersion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int total = MeshHeaderSize(version) + payload.Length;
        var span = writer.GetSpan(total);
        int header = WriteMeshHeader(span, version);
        payload.CopyTo(span[header..]);
        writer.Advance(total);
    }

    /// <summary>
    /// Checks the mesh header of one datagram and returns the TakMessage bytes after it.
    /// Throws <see cref="CotFormatException"/> on a missing magic byte, a bad varint, a version other
    /// than <see cref="SupportedVersion"/>, or an empty payload.
    /// </summary>
    public static ReadOnlySpan<byte> DecodeMesh(ReadOnlySpan<byte> datagram, out int version)
    {
        int header = ReadMeshHeader(datagram, out version);
        return datagram[header..];
    }

    /// <inheritdoc cref="DecodeMesh(ReadOnlySpan{byte}, out int)"/>
    public static ReadOnlyMemory<byte> DecodeMesh(ReadOnlyMemory<byte> datagram, out int version)
    {
        int header = ReadMeshHeader(datagram.Span, out version);
        return datagram[header..];
    }

    /// <summary>Validates a mesh header and returns its size, which is where the TakMessage starts.</summary>
    public static int ReadMeshHeader(ReadOnlySpan<byte> datagram, out int version)
    {
        if (datagram.IsEmpty)
            throw new CotFormatException("empty datagram: expected a TAK protocol mesh header", 0);
        if (datagram[0] != Magic)
            throw new CotFormatException(
                $"not a TAK protocol mesh message: first byte is {Describe(datagram[0])}, expected 0xBF", 0);

        version = ReadVarint(datagram, 1, "mesh protocol version", out int varintSize);

        // Version 0 is CoT XML, which has no header at all (takproto/README.md), so it is as foreign here
        // as a future version; check it before the second magic byte because a newer version may lay out
        // the rest of its header differently.
        if (version != SupportedVersion)
            throw new CotFormatException(
                version == 0
                    ? "unsupported TAK protocol version 0 in a mesh header (version 0 is plain XML without a header)"
                    : $"unsupported TAK protocol version {version}",
                1);

        int second = 1 + varintSize;
        if (second >= datagram.Length)
            throw new CotFormatException("truncated mesh header: datagram ends before the second 0xBF", datagram.Length);
        if (datagram[second] != Magic)
            throw new CotFormatException(
                $"bad mesh header: {Describe(datagram[second])} after the version, expected 0xBF", second);

        int header = second + 1;
        if (header == datagram.Length)
            throw new CotFormatException("empty TakMessage payload after the mesh header", header);
        return header;
    }

    // ---- Streaming ----------------------------------------------------------------------------

    /// <summary>Size of the stream header for a message of <paramref name="length"/> bytes.</summary>
    public static int StreamHeaderSize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return 1 + VarintSize((uint)length);
    }

    /// <summary>Writes the stream header for a message of <paramref name="length"/> bytes; returns its size.</summary>
    public static int WriteStreamHeader(Span<byte> destination, int length)
    {
        int size = StreamHeaderSize(length);
        if (destination.Length < size)
            throw new ArgumentException($"need {size} bytes for the stream header, have {destination.Length}", nameof(destination));
        destination[0] = Magic;
        return 1 + WriteVarint(destination[1..], (uint)length);
    }

    /// <summary>Builds one streaming frame: header, then <paramref name="payload"/> (a serialised TakMessage).</summary>
    public static byte[] EncodeStream(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[StreamHeaderSize(payload.Length) + payload.Length];
        int header = WriteStreamHeader(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>Appends one streaming frame to <paramref name="writer"/>.</summary>
    public static void WriteStream(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int total = StreamHeaderSize(payload.Length) + payload.Length;
        var span = writer.GetSpan(total);
        int header = WriteStreamHeader(span, payload.Length);
        payload.CopyTo(span[header..]);
        writer.Advance(total);
    }

    // ---- Varint -------------------------------------------------------------------------------

    internal static int VarintSize(uint value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    internal static int WriteVarint(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint at <paramref name="start"/> whose value must fit an <see cref="int"/>.
    /// Non-minimal encodings (zero groups with the continuation bit) are accepted up to the 10-byte
    /// protobuf limit, as protobuf parsers accept them.
    /// </summary>
    internal static int ReadVarint(ReadOnlySpan<byte> data, int start, string what, out int size)
    {
        long value = 0;
        for (int i = 0; i < MaxVarintBytes; i++)
        {
            int at = start + i;
            if (at >= data.Length)
                throw new CotFormatException($"truncated {what} varint: input ends after {i} byte(s)", at);
            byte b = data[at];
            value = AccumulateVarint(value, b, i);
            if (value > int.MaxValue)
                throw new CotFormatException($"{what} varint exceeds {int.MaxValue}", start);
            if ((b & 0x80) == 0)
            {
                size = i + 1;
                return (int)value;
            }
        }
        throw new CotFormatException($"{what} varint is longer than {MaxVarintBytes} bytes", start);
    }

    /// <summary>
    /// Adds the 7-bit group <paramref name="b"/> at position <paramref name="index"/>. Any non-zero group
    /// at bit 35 or above is reported as <see cref="long.MaxValue"/> so callers see "exceeds int range"
    /// without the shift overflowing.
    /// </summary>
    internal static long AccumulateVarint(long value, byte b, int index)
    {
        long group = b & 0x7F;
        if (group == 0)
            return value;
        int shift = 7 * index;
        return shift >= 35 ? long.MaxValue : value | (group << shift);
    }

    internal static string Describe(byte b) => b switch
    {
        (byte)'<' => "0x3C ('<', looks like CoT XML)",
        _ => $"0x{b:X2}",
    };

    private static void CheckEncodableVersion(int version)
    {
        // Version 0 means "XML, no header"; a header carrying 0 would be misread by every receiver.
        if (version < 1)
            throw new ArgumentOutOfRangeException(nameof(version), version, "mesh headers carry version 1 or higher");
    }
}
