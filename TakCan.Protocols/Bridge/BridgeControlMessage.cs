using System.Buffers;
using MessagePack;

namespace TakCan.Protocols.Bridge;

/// <summary>
/// A control envelope's payload that the bridge reads (specs/bridge.md, "Control messages"): a MessagePack array whose
/// first element is the message type, then its version. Other types are not the bridge's and read as null.
/// </summary>
public abstract record BridgeControlMessage
{
    /// <summary>Largest control payload read; anything longer is refused before parsing.</summary>
    public const int MaxBytes = 32 * 1024;

    public const int Version = 1;

    public abstract byte[] ToBytes();

    /// <summary>The bridge message in <paramref name="payload"/>, or null when it is another control type.</summary>
    /// <exception cref="BridgeMessageException">The payload is not a control message, or a bridge message that breaks the format or its limits.</exception>
    public static BridgeControlMessage? Read(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > MaxBytes) throw new BridgeMessageException($"control message of {payload.Length} bytes is over the {MaxBytes}-byte limit");
        try
        {
            var reader = new MessagePackReader(payload);
            var count = reader.ReadArrayHeader();
            if (count < 2) throw new BridgeMessageException($"control message has {count} fields, expected a type and a version");
            var type = reader.ReadString() ?? throw new BridgeMessageException("control message type is nil");
            if (type is not (OnboardRequest.Type or BridgeAnnouncement.Type)) return null;
            var version = reader.ReadInt32();
            if (version != Version) throw new BridgeMessageException($"{type} version {version} is not supported");
            BridgeControlMessage message = type == OnboardRequest.Type
                ? OnboardRequest.ReadFields(ref reader, count - 2)
                : BridgeAnnouncement.ReadFields(ref reader, count - 2);
            return message;
        }
        catch (Exception e) when (e is not BridgeMessageException)
        {
            // Whatever the reader throws on hostile bytes (bad MessagePack, bad UTF-8, out-of-range numbers) is one refusal.
            throw new BridgeMessageException($"control message is not valid MessagePack: {e.Message}", e);
        }
    }

    private protected static byte[] Pack(string type, int fields, WriteFields write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(2 + fields);
        writer.Write(type);
        writer.Write(Version);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private protected delegate void WriteFields(ref MessagePackWriter writer);

    /// <summary>Skips what a later version appends after the fields this version knows.</summary>
    private protected static void SkipRest(ref MessagePackReader reader, int remaining)
    {
        for (var i = 0; i < remaining; i++) reader.Skip();
    }
}
