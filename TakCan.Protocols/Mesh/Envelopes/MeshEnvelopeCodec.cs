using System.Buffers;
using MessagePack;

namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>
/// The envelope as a MessagePack array: [version, kind, origin, seq, ttl, hops, payload, signature]
/// (specs/mesh.md, "Envelope"). Readers skip elements past index 7, so later versions may append.
/// </summary>
public static class MeshEnvelopeCodec
{
    public const int Version = 1;
    private const int Fields = 8;

    /// <summary>
    /// Longest origin signature accepted (an RSA-4096 signature; ECDSA P-256 is at most 72 bytes). A longer one, or an
    /// empty one, makes the envelope invalid: nil is how "unsigned" is written (specs/mesh.md, "Envelope").
    /// </summary>
    public const int MaxSignatureLength = 512;

    /// <summary>Worst-case bytes the envelope adds around its payload (with the longest signature).</summary>
    public const int MaxOverhead = 1 + 1 + 1 + 18 + 5 + 2 + 2 + 5 + 3 + MaxSignatureLength;

    public static void Write(MeshEnvelope envelope, IBufferWriter<byte> output)
    {
        var writer = new MessagePackWriter(output);
        writer.WriteArrayHeader(Fields);
        writer.Write(Version);
        writer.Write((byte)envelope.Kind);
        writer.Write(envelope.Origin.ToBytes());
        writer.Write(envelope.Sequence);
        writer.Write(envelope.Ttl);
        writer.Write(envelope.Hops);
        writer.Write(envelope.Payload.Span);
        if (envelope.Signature is { } signature)
        {
            if (signature.Length is 0 or > MaxSignatureLength)
                throw new ArgumentException($"an envelope signature is 1–{MaxSignatureLength} bytes, not {signature.Length}", nameof(envelope));
            writer.Write(signature.Span);
        }
        else
        {
            writer.WriteNil();
        }

        writer.Flush();
    }

    public static byte[] ToBytes(MeshEnvelope envelope)
    {
        var buffer = new ArrayBufferWriter<byte>(envelope.Payload.Length + MaxOverhead);
        Write(envelope, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="MeshFormatException">Not a version 1 envelope (counted as envelope-invalid).</exception>
    public static MeshEnvelope Read(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            var count = reader.ReadArrayHeader();
            if (count < Fields) throw Invalid($"envelope has {count} fields, expected {Fields}");
            var version = reader.ReadInt32();
            if (version != Version) throw Invalid($"envelope version {version} is not supported");
            var kind = reader.ReadByte();
            if (kind > (byte)MeshMessageKind.Beacon) throw Invalid($"unknown envelope kind {kind}");
            var originBytes = reader.ReadBytes() ?? throw Invalid("envelope origin is nil");
            if (originBytes.Length != NodeId.Size) throw Invalid("envelope origin is not 16 bytes");
            var origin = NodeId.Read(originBytes.ToArray());
            var sequence = reader.ReadUInt32();
            var ttl = reader.ReadByte();
            var hops = reader.ReadByte();
            var payload = reader.ReadBytes() ?? throw Invalid("envelope payload is nil");
            // Not a ?: expression: null converts to ReadOnlyMemory<byte> (via byte[]), so nil would read as an empty,
            // present signature and be re-encoded as bin 0 by every relay.
            ReadOnlyMemory<byte>? signature = null;
            if (!reader.TryReadNil())
            {
                var bytesOfSignature = reader.ReadBytes() ?? default;
                if (bytesOfSignature.Length is 0 or > MaxSignatureLength)
                    throw Invalid($"envelope signature is {bytesOfSignature.Length} bytes, expected nil or 1–{MaxSignatureLength}");
                signature = bytesOfSignature.ToArray();
            }

            for (var i = Fields; i < count; i++) reader.Skip();
            return new MeshEnvelope((MeshMessageKind)kind, origin, sequence, ttl, hops, SliceOf(payload)) { Signature = signature };
        }
        catch (MessagePackSerializationException e)
        {
            throw Invalid($"envelope is not valid MessagePack: {e.Message}");
        }
        catch (EndOfStreamException)
        {
            throw Invalid("envelope is truncated");
        }
        catch (OverflowException)
        {
            // MessagePackReader throws this for an integer too large for its field (kind 300, seq -1).
            throw Invalid("envelope has a field out of range");
        }
    }

    // The payload is a slice of the decrypted buffer when contiguous (always, for a single segment): no copy.
    private static ReadOnlyMemory<byte> SliceOf(ReadOnlySequence<byte> payload) =>
        payload.IsSingleSegment ? payload.First : payload.ToArray();

    private static MeshFormatException Invalid(string message) => new(MeshDropReason.EnvelopeInvalid, message);
}
