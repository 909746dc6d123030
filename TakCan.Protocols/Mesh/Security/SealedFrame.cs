using System.Buffers.Binary;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>Sealed frame types and header layout (specs/mesh.md, "Sealed frame").</summary>
public static class SealedFrame
{
    public const byte Hello = 0x11;
    public const byte Auth = 0x12;
    public const byte LinkData = 0x13;
    public const byte GroupData = 0x14;
    public const byte Beacon = 0x15;

    public const int TagSize = 16;
    public const int NonceSize = 16;

    /// <summary>type, key id, 8-byte counter.</summary>
    public const int LinkHeaderSize = 1 + 2 + 8;

    /// <summary>type, key id, 12-byte random nonce.</summary>
    public const int GroupHeaderSize = 1 + 2 + 12;

    /// <summary>type, key id, sender nonce, echo of the receiver's nonce (zeros when not yet known).</summary>
    public const int HelloSize = 1 + 2 + NonceSize + NonceSize;

    public static byte TypeOf(ReadOnlySpan<byte> frame) => frame.IsEmpty ? (byte)0 : frame[0];

    public static ushort KeyIdOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadUInt16BigEndian(frame[1..3]);
}
