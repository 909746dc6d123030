using System.Text;
using System.Text.Unicode;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Reads one CoT event from XML. A strict, allocation-light reader of the XML subset CoT uses: elements,
/// attributes, text, CDATA, comments, processing instructions and the five predefined entities plus character
/// references. A DTD is refused outright, so entity expansion and external resolution (XXE) cannot happen.
/// </summary>
public static class CotXmlReader
{
    public static CotEvent Read(string xml, CotXmlLimits? limits = null) => Read(Encoding.UTF8.GetBytes(xml), limits);

    /// <summary>Reads one event from UTF-8 or UTF-16 bytes (with or without declaration or BOM).</summary>
    /// <exception cref="CotFormatException">The input is not a well-formed, complete CoT event within the limits.</exception>
    public static CotEvent Read(ReadOnlySpan<byte> xml, CotXmlLimits? limits = null)
    {
        limits ??= CotXmlLimits.Default;
        if (xml.Length > limits.MaxEventBytes)
            throw new CotFormatException($"event is {xml.Length} bytes, above the limit of {limits.MaxEventBytes} bytes");
        if (IsUtf16(xml, out var bigEndian))
        {
            byte[] utf8;
            try
            {
                var text = (bigEndian ? new UnicodeEncoding(true, false, true) : new UnicodeEncoding(false, false, true)).GetString(xml);
                utf8 = Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF'));
            }
            catch (ArgumentException e)
            {
                throw new CotFormatException("input is not valid UTF-16", null, e);
            }

            return ReadUtf8(utf8, limits);
        }

        return ReadUtf8(xml, limits);
    }

    private static CotEvent ReadUtf8(ReadOnlySpan<byte> xml, CotXmlLimits limits)
    {
        if (xml.StartsWith("\uFEFF"u8)) xml = xml[3..];
        if (!Utf8.IsValid(xml))
            throw new CotFormatException($"input is not valid UTF-8 (first bad byte at {FirstInvalidUtf8(xml)})");
        var scanner = new CotXmlScanner(xml, limits);
        return scanner.ReadDocument();
    }

    /// <summary>
    /// Reads detail children given without the <c>&lt;detail&gt;</c> wrapper, as TAK Protocol's xmlDetail carries them.
    /// </summary>
    public static CotDetail ReadDetailFragment(ReadOnlySpan<byte> utf8, CotXmlLimits? limits = null)
    {
        limits ??= CotXmlLimits.Default;
        CheckDetailFragment(utf8, limits);
        var scanner = new CotXmlScanner(utf8, limits);
        return scanner.ReadDetailFragment();
    }

    /// <summary>
    /// As <see cref="ReadDetailFragment(ReadOnlySpan{byte}, CotXmlLimits?)"/>, appending the elements to a list the
    /// caller also fills, so a TAK Protocol decoder builds one element array for typed fields and xmlDetail together.
    /// </summary>
    internal static void ReadDetailFragment(ReadOnlySpan<byte> utf8, CotXmlLimits limits, ref ScratchList<DetailElement> elements)
    {
        CheckDetailFragment(utf8, limits);
        var scanner = new CotXmlScanner(utf8, limits);
        scanner.ReadDetailFragment(ref elements);
    }

    private static void CheckDetailFragment(ReadOnlySpan<byte> utf8, CotXmlLimits limits)
    {
        if (utf8.Length > limits.MaxEventBytes)
            throw new CotFormatException($"xmlDetail is {utf8.Length} bytes, above the limit of {limits.MaxEventBytes} bytes");
        if (!Utf8.IsValid(utf8))
            throw new CotFormatException($"xmlDetail is not valid UTF-8 (first bad byte at {FirstInvalidUtf8(utf8)})");
    }

    internal static OpaqueElement ReadOpaqueElement(string xml, CotXmlLimits limits)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        if (bytes.Length > limits.MaxEventBytes)
            throw new CotFormatException($"element is {bytes.Length} bytes, above the limit of {limits.MaxEventBytes} bytes");
        var scanner = new CotXmlScanner(bytes, limits);
        var name = scanner.ReadSingleElement();
        return new OpaqueElement(name, xml);
    }

    private static bool IsUtf16(ReadOnlySpan<byte> xml, out bool bigEndian)
    {
        bigEndian = false;
        if (xml.Length < 2) return false;
        if (xml[0] == 0xFF && xml[1] == 0xFE) return true;
        if (xml[0] == 0xFE && xml[1] == 0xFF) return bigEndian = true;
        // No BOM: '<' followed by a zero byte (little endian) or preceded by one (big endian).
        if (xml[0] == (byte)'<' && xml[1] == 0) return true;
        if (xml[0] == 0 && xml[1] == (byte)'<') return bigEndian = true;
        return false;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> xml)
    {
        var i = 0;
        while (i < xml.Length)
        {
            if (Rune.DecodeFromUtf8(xml[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done) return i;
            i += consumed;
        }

        return xml.Length;
    }
}
