using System.Buffers;
using Google.Protobuf;
using TakCan.Protocols.TakProto.Wire;
using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// Reads and writes TAK Protocol version 1 <see cref="TakMessage"/>s, bare or inside the mesh and
/// streaming headers of <see cref="TakProtocolFraming"/>. Every decoding failure surfaces as
/// <see cref="CotFormatException"/>.
/// </summary>
public static class TakMessageCodec
{
    // Unknown fields are dropped, not kept: TAK Server stamps TakMessage with submissionTime (3) and
    // creationTime (4), and a device that relays what it parsed must not echo the server's stamps
    // as if they were its own.
    private static readonly MessageParser<TakMessage> Parser = TakMessage.Parser.WithDiscardUnknownFields(true);

    /// <summary>Parses the bytes of one TakMessage (no TAK Protocol header).</summary>
    public static TakMessage Parse(ReadOnlySpan<byte> payload) => Parse(payload, "TakMessage", null);

    /// <summary>Parses a mesh datagram (<c>0xBF 1 0xBF &lt;TakMessage&gt;</c>).</summary>
    public static TakMessage DecodeMesh(ReadOnlySpan<byte> datagram)
    {
        int header = TakProtocolFraming.ReadMeshHeader(datagram, out _);
        return Parse(datagram[header..], "TakMessage in mesh datagram", header);
    }

    /// <summary>Serialises <paramref name="message"/> as a mesh datagram.</summary>
    public static byte[] EncodeMesh(TakMessage message, int version = TakProtocolFraming.SupportedVersion)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size = message.CalculateSize();
        var datagram = new byte[TakProtocolFraming.MeshHeaderSize(version) + size];
        int header = TakProtocolFraming.WriteMeshHeader(datagram, version);
        message.WriteTo(datagram.AsSpan(header));
        return datagram;
    }

    /// <summary>Serialises <paramref name="message"/> as one streaming frame.</summary>
    public static byte[] EncodeStream(TakMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size = message.CalculateSize();
        var frame = new byte[TakProtocolFraming.StreamHeaderSize(size) + size];
        int header = TakProtocolFraming.WriteStreamHeader(frame, size);
        message.WriteTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>Appends <paramref name="message"/> as one streaming frame, serialising straight into the writer.</summary>
    public static void WriteStream(IBufferWriter<byte> writer, TakMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        int size = message.CalculateSize();
        int total = TakProtocolFraming.StreamHeaderSize(size) + size;
        var span = writer.GetSpan(total)[..total];
        int header = TakProtocolFraming.WriteStreamHeader(span, size);
        message.WriteTo(span[header..]);
        writer.Advance(total);
    }

    private static TakMessage Parse(ReadOnlySpan<byte> payload, string what, long? offset)
    {
        try
        {
            return Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new CotFormatException($"invalid {what} ({payload.Length} bytes): {ex.Message}", offset, ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Google.Protobuf documents InvalidProtocolBufferException for bad input; whatever else it
            // might throw on hostile bytes must still reach the caller as the one domain error.
            throw new CotFormatException($"invalid {what} ({payload.Length} bytes): {ex.GetType().Name}: {ex.Message}", offset, ex);
        }
    }
}
