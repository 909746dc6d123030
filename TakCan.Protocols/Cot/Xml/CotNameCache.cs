using System.Text;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Reuses the strings for short names and values that repeat from event to event (element and attribute
/// names, types like a-f-G-U-C, team names, a sender's uid), so decoding a stream of SA does not allocate them
/// again. A fixed-size table: a collision simply replaces the slot, memory stays bounded.
/// </summary>
internal static class CotNameCache
{
    public const int MaxLength = 40;
    private const int Slots = 4096;

    private static readonly Entry?[] Table = new Entry?[Slots];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = hash.ToHashCode() & (Slots - 1);
        var entry = Volatile.Read(ref Table[slot]);
        if (entry is not null && utf8.SequenceEqual(entry.Utf8)) return entry.Text;
        var text = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref Table[slot], new Entry(utf8.ToArray(), text));
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
