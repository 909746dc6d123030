using System.Buffers.Binary;
using System.Text.Unicode;
using TakCan.Protocols.Cot;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// Reads one protobuf message's fields from its bytes (https://protobuf.dev/programming-guides/encoding/), as
/// <c>Utf8JsonReader</c> reads JSON: forward only, no allocation. Varints, lengths and tags are read the way
/// Google.Protobuf reads them (a 32-bit value drops the high bits of a longer varint), so that both read the same
/// values from any message both accept. Every problem is a <see cref="CotFormatException"/> naming the byte offset in
/// the whole input.
/// </summary>
internal ref struct ProtoWireReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _s;
    private readonly long _origin;
    private readonly string _message;
    private int _pos;
    private int _tagStart;

    /// <param name="bytes">The message's fields, without its tag and length.</param>
    /// <param name="origin">Offset of <paramref name="bytes"/> in the input, for error messages.</param>
    /// <param name="message">The message type, for error messages.</param>
    public ProtoWireReader(ReadOnlySpan<byte> bytes, long origin, string message)
    {
        _s = bytes;
        _origin = origin;
        _message = message;
        _pos = 0;
        _tagStart = 0;
    }

    public static uint Tag(int field, int wireType) => (uint)(field << 3 | wireType);

    /// <summary>Reads the next tag (field number and wire type); false at the end of the message.</summary>
    public bool NextTag(out uint tag)
    {
        if (_pos >= _s.Length)
        {
            tag = 0;
            return false;
        }

        _tagStart = _pos;
        // Like Google.Protobuf: a tag is a 32-bit varint, so a longer one loses its high bits.
        tag = _s[_pos] < 0x80 ? _s[_pos++] : (uint)ReadVarint();
        if (tag >> 3 == 0) throw Fail("field number 0 is not allowed", _tagStart);
        return true;
    }

    public ulong ReadVarint()
    {
        var start = _pos;
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _s.Length) throw Fail("the message ends inside a varint", start);
            var b = _s[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return result;
        }

        throw Fail("varint longer than 10 bytes", start);
    }

    public double ReadDouble()
    {
        if (_s.Length - _pos < 8) throw Fail("the message ends inside a 64-bit value", _pos);
        var value = BinaryPrimitives.ReadDoubleLittleEndian(_s.Slice(_pos, 8));
        _pos += 8;
        return value;
    }

    /// <summary>Reads a length-delimited value (string, bytes or embedded message).</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited(out long origin)
    {
        var start = _pos;
        // A length is a 32-bit value in protobuf: longer varints lose their high bits, and a negative int is refused.
        var length = (int)(uint)ReadVarint();
        if (length < 0 || length > _s.Length - _pos)
            throw Fail($"length {(uint)length} runs past the end of the message ({_s.Length - _pos} bytes left)", start);
        origin = _origin + _pos;
        var value = _s.Slice(_pos, length);
        _pos += length;
        return value;
    }

    /// <summary>Reads a string field's bytes, refusing invalid UTF-8 as Google.Protobuf does.</summary>
    public ReadOnlySpan<byte> ReadUtf8(string field)
    {
        var value = ReadLengthDelimited(out var origin);
        if (!Utf8.IsValid(value))
            throw new CotFormatException($"invalid TakMessage: {_message} {field} is not valid UTF-8", origin);
        return value;
    }

    public ProtoWireReader ReadMessage(string message)
    {
        var value = ReadLengthDelimited(out var origin);
        return new ProtoWireReader(value, origin, message);
    }

    /// <summary>Skips the value of a field this decoder does not use, or that came with another wire type than its schema's.</summary>
    public void Skip(uint tag)
    {
        switch ((int)(tag & 7))
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                SkipBytes(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited(out _);
                break;
            case Fixed32:
                SkipBytes(4);
                break;
            case 3:
                // Groups are proto2 only; TAK Protocol is proto3 and no TAK implementation sends them.
                throw Fail($"field {tag >> 3} starts a group, which TAK Protocol does not use", _tagStart);
            case 4:
                throw Fail($"field {tag >> 3} ends a group that was never started", _tagStart);
            default:
                throw Fail($"field {tag >> 3} has invalid wire type {tag & 7}", _tagStart);
        }
    }

    private void SkipBytes(int count)
    {
        if (_s.Length - _pos < count) throw Fail($"the message ends inside a {count * 8}-bit value", _pos);
        _pos += count;
    }

    private readonly CotFormatException Fail(string problem, int at) =>
        new($"invalid TakMessage: {problem} in {_message}", _origin + at);
}
