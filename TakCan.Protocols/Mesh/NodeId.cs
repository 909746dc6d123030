using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TakCan.Protocols.Mesh;

/// <summary>
/// A device's 16-byte mesh identity: the envelope origin and the dedupe key. Random, persisted with the
/// device, and only ever sent inside the encryption.
/// </summary>
public readonly record struct NodeId(ulong High, ulong Low)
{
    public const int Size = 16;

    public static NodeId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[Size];
        RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public static NodeId Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) throw new ArgumentException($"a node id is {Size} bytes, not {bytes.Length}", nameof(bytes));
        return new NodeId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public static NodeId Parse(string hex) => Read(Convert.FromHexString(hex));

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    /// <summary>Lowercase hex, 32 characters.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());

    /// <summary>The first 4 bytes as hex: enough for a log line, not for identifying on air.</summary>
    public string Short => ToString()[..8];
}
