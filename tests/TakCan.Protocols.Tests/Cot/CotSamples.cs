using System.Text;

namespace TakCan.Protocols.Tests.Cot;

/// <summary>
/// The CoT captures in <c>Samples/</c>, shaped like real ATAK, WinTAK, iTAK and TAK Server traffic.
/// UTF-16 files are named <c>utf16*</c>; every other file is UTF-8 (whatever its declaration says).
/// </summary>
public static class CotSamples
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Samples");

    public static IReadOnlyList<string> Names { get; } =
        Directory.EnumerateFiles(Folder, "*.xml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Samples a TAK TCP stream could carry: UTF-8 only.</summary>
    public static IReadOnlyList<string> Utf8Names { get; } = Names.Where(n => !n.StartsWith("utf16", StringComparison.Ordinal)).ToArray();

    public static TheoryData<string> All => new(Names);

    public static TheoryData<string> Utf8 => new(Utf8Names);

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    public static string Text(string name) => Decode(Bytes(name));

    /// <summary>
    /// The document as characters, decoded by its BOM or, without one, by the zero bytes UTF-16 puts around ASCII
    /// (XML 1.0 appendix F). The declared encoding is deliberately not trusted: WinTAK declares utf-16 on UTF-8 bytes.
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        if (bytes is [0xFF, 0xFE, ..]) return new UnicodeEncoding(false, true, true).GetString(bytes, 2, bytes.Length - 2);
        if (bytes is [0xFE, 0xFF, ..]) return new UnicodeEncoding(true, true, true).GetString(bytes, 2, bytes.Length - 2);
        if (bytes is [(byte)'<', 0, ..]) return new UnicodeEncoding(false, false, true).GetString(bytes);
        if (bytes is [0, (byte)'<', ..]) return new UnicodeEncoding(true, false, true).GetString(bytes);
        var utf8 = new UTF8Encoding(false, true);
        return bytes is [0xEF, 0xBB, 0xBF, ..] ? utf8.GetString(bytes, 3, bytes.Length - 3) : utf8.GetString(bytes);
    }

    /// <summary>Bytes of the sample up to and including its <c>&lt;/event&gt;</c> (trailing newline dropped).</summary>
    public static byte[] EventBytes(string name)
    {
        var bytes = Bytes(name);
        return bytes[..EndOfEvent(name, bytes)];
    }

    /// <summary>Byte offset just after the sample's <c>&lt;/event&gt;</c>: every shorter prefix is an unfinished event.</summary>
    public static int EndOfEvent(string name, byte[] bytes)
    {
        if (name.StartsWith("utf16", StringComparison.Ordinal))
        {
            var bom = bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] ? 2 : 0;
            var text = Decode(bytes);
            return bom + 2 * (text.LastIndexOf("</event>", StringComparison.Ordinal) + "</event>".Length);
        }

        var at = bytes.AsSpan().LastIndexOf("</event>"u8);
        Assert.True(at >= 0, $"{name} has no </event>");
        return at + "</event>".Length;
    }
}
