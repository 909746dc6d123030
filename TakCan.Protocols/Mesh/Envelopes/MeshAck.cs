using System.Buffers;
using MessagePack;

namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>
/// Payload of an <see cref="MeshMessageKind.Ack"/> envelope (specs/device.md, "Acknowledgements"): MessagePack
/// array <c>[key, acker uid, acker callsign]</c>, key = <c>&lt;event uid&gt;|&lt;event time in ms&gt;</c>.
/// </summary>
public sealed record MeshAck(string Key, string AckerUid, string AckerCallsign)
{
    private const int MaxFieldLength = 1024;

    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(64 + Key.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(Key);
        writer.Write(AckerUid);
        writer.Write(AckerCallsign);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="MeshFormatException">Not an acknowledgement (counted as envelope-invalid).</exception>
    public static MeshAck Read(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.ReadArrayHeader() < 3) throw Invalid("ack has fewer than 3 fields");
            var ack = new MeshAck(Field(ref reader), Field(ref reader), Field(ref reader));
            return ack;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw Invalid($"ack is not valid MessagePack: {e.Message}");
        }
    }

    private static string Field(ref MessagePackReader reader)
    {
        var value = reader.ReadString() ?? throw Invalid("ack field is nil");
        return value.Length <= MaxFieldLength ? value : throw Invalid("ack field too long");
    }

    private static MeshFormatException Invalid(string message) => new(MeshDropReason.EnvelopeInvalid, message);
}
