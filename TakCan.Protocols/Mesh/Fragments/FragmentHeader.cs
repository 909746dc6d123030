using System.Buffers.Binary;

namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>
/// The 6-byte header every frame on a link starts with (specs/mesh.md, "Fragment"):
/// kind (1), message id (3), index (1), count (1).
/// </summary>
public readonly record struct FragmentHeader(byte Kind, uint MessageId, byte Index, byte Count)
{
    public const int Size = 6;
    public const byte DataKind = 0x01;
    public const byte NackKind = 0x02;
    public const uint MessageIdMask = 0xFF_FFFF;

    public void Write(Span<byte> destination)
    {
        destination[0] = Kind;
        destination[1] = (byte)(MessageId >> 16);
        destination[2] = (byte)(MessageId >> 8);
        destination[3] = (byte)MessageId;
        destination[4] = Index;
        destination[5] = Count;
    }

    /// <summary>Reads and checks a header: known kind, 1 ≤ count, index &lt; count for data.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out FragmentHeader header)
    {
        header = default;
        if (frame.Length < Size) return false;
        var kind = frame[0];
        var messageId = (uint)(frame[1] << 16 | frame[2] << 8 | frame[3]);
        header = new FragmentHeader(kind, messageId, frame[4], frame[5]);
        return kind switch
        {
            DataKind => header.Count >= 1 && header.Index < header.Count && frame.Length > Size,
            NackKind => header.Count >= 1 && frame.Length == Size + (header.Count + 7) / 8,
            _ => false,
        };
    }

    public static uint NextMessageId(uint current) => (current + 1) & MessageIdMask;

    internal static uint ReadUInt24(ReadOnlySpan<byte> bytes) => (uint)(bytes[0] << 16 | BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]));
}
