using System.Buffers.Binary;
using System.Text;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>
/// Protobuf wire bytes written by hand, for what the generated classes never write: explicit default values, unknown
/// fields, known fields with another wire type, repeated occurrences, over-long varints, groups.
/// </summary>
internal sealed class WireBytes
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public byte[] ToArray() => _bytes.ToArray();

    public WireBytes Raw(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) _bytes.Add(b);
        return this;
    }

    public WireBytes Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
        return this;
    }

    /// <summary>A varint padded with continuation bytes to <paramref name="bytes"/> bytes (more than 10 is invalid).</summary>
    public WireBytes PaddedVarint(ulong value, int bytes)
    {
        for (var i = 0; i < bytes - 1; i++)
        {
            _bytes.Add((byte)(value & 0x7F | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)(value & 0x7F));
        return this;
    }

    public WireBytes Tag(int field, int wireType) => Varint((ulong)(uint)(field << 3 | wireType));

    public WireBytes VarintField(int field, ulong value) => Tag(field, 0).Varint(value);

    public WireBytes DoubleField(int field, double value)
    {
        Tag(field, 1);
        Span<byte> le = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(le, value);
        return Raw(le);
    }

    public WireBytes Fixed32Field(int field, uint value)
    {
        Tag(field, 5);
        Span<byte> le = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(le, value);
        return Raw(le);
    }

    public WireBytes BytesField(int field, ReadOnlySpan<byte> value) => Tag(field, 2).Varint((ulong)value.Length).Raw(value);

    public WireBytes StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    public WireBytes MessageField(int field, WireBytes message) => BytesField(field, message.ToArray());
}
