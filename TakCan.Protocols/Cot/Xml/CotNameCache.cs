using System.Text;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Reuses the strings for short names and values that repeat from event to event (element and attribute
/// names, types like a-f-G-U-C, team names, a sender's uid), so decoding a stream of SA does not allocate them
/// again. A fixed-size table: a collision simply replaces an entry, memory stays bounded.
/// </summary>
/// <remarks>
/// Two entries per hash (2-way set associative): with one, two names of the same event that hash alike (a few per
/// cent of processes, as <see cref="HashCode"/> is seeded per process) replaced each other on every event, and that
/// event allocated both strings every time.
/// </remarks>
internal static class CotNameCache
{
    public const int MaxLength = 40;
    private const int Sets = 2048;

    private static readonly Entry?[] Table = new Entry?[Sets * 2];

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return string.Empty;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var slot = (hash.ToHashCode() & (Sets - 1)) * 2;
        var recent = Volatile.Read(ref Table[slot]);
        if (recent is not null && utf8.SequenceEqual(recent.Utf8)) return recent.Text;
        var older = Volatile.Read(ref Table[slot + 1]);
        if (older is not null && utf8.SequenceEqual(older.Utf8)) return older.Text;
        var text = Encoding.UTF8.GetString(utf8);
        // The newest goes first and the one it displaces second, so two names that share a set both stay. Racing
        // threads may lose an entry or store one twice; every entry is immutable and checked on read, so that is harmless.
        if (recent is not null) Volatile.Write(ref Table[slot + 1], recent);
        Volatile.Write(ref Table[slot], new Entry(utf8.ToArray(), text));
        return text;
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
