namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>Cuts a sealed frame into fragments that fit a link's MTU (480 bytes on BLE).</summary>
public static class Fragmenter
{
    public const int MaxFragments = 255;

    /// <summary>Largest message a link of this MTU can carry, also capped by the reassembly limit.</summary>
    public static int MaxMessageSize(int mtu, int reassemblyLimit) => Math.Min((mtu - FragmentHeader.Size) * MaxFragments, reassemblyLimit);

    public static byte[][] Split(ReadOnlySpan<byte> message, uint messageId, int mtu)
    {
        if (mtu <= FragmentHeader.Size) throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "MTU must exceed the 6-byte fragment header");
        var room = mtu - FragmentHeader.Size;
        var count = Math.Max(1, (message.Length + room - 1) / room);
        if (count > MaxFragments)
            throw new ArgumentException($"a {message.Length}-byte message needs {count} fragments at MTU {mtu}; the most is {MaxFragments}", nameof(message));
        var fragments = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var piece = message.Slice(i * room, Math.Min(room, message.Length - i * room));
            var fragment = new byte[FragmentHeader.Size + piece.Length];
            new FragmentHeader(FragmentHeader.DataKind, messageId & FragmentHeader.MessageIdMask, (byte)i, (byte)count).Write(fragment);
            piece.CopyTo(fragment.AsSpan(FragmentHeader.Size));
            fragments[i] = fragment;
        }

        return fragments;
    }

    /// <summary>A NACK asking the sender of <paramref name="messageId"/> for the fragments whose bit is set.</summary>
    public static byte[] Nack(uint messageId, byte count, IEnumerable<int> missing)
    {
        var frame = new byte[FragmentHeader.Size + (count + 7) / 8];
        new FragmentHeader(FragmentHeader.NackKind, messageId, 0, count).Write(frame);
        foreach (var index in missing) frame[FragmentHeader.Size + index / 8] |= (byte)(0x80 >> (index % 8));
        return frame;
    }

    /// <summary>The fragment indices a NACK asks for.</summary>
    public static IEnumerable<int> MissingIn(ReadOnlyMemory<byte> nack, byte count)
    {
        for (var i = 0; i < count; i++)
            if ((nack.Span[FragmentHeader.Size + i / 8] & (0x80 >> (i % 8))) != 0)
                yield return i;
    }
}
