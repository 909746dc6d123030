using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Writes UTF-8 XML the way ATAK does: single-quoted attributes, no indentation, escaping that keeps
/// every character (line breaks inside attributes become character references so they survive parsing).
/// </summary>
internal sealed class CotXmlBuilder
{
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>'\"\t\n\r\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\r\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\uFFFE\uFFFF");

    private readonly IBufferWriter<byte> _output;

    public CotXmlBuilder(IBufferWriter<byte> output) => _output = output;

    public void Raw(ReadOnlySpan<byte> utf8) => _output.Write(utf8);

    public void Raw(string text) => Utf8(text);

    public void StartElement(string name)
    {
        Byte((byte)'<');
        Utf8(name);
    }

    public void EndStartTag() => Byte((byte)'>');

    public void EndEmptyElement() => Raw("/>"u8);

    public void EndElement(string name)
    {
        Raw("</"u8);
        Utf8(name);
        Byte((byte)'>');
    }

    public void Attribute(string name, string? value)
    {
        if (value is null) return;
        AttributeStart(name);
        Escaped(value, AttributeSpecials);
        Byte((byte)'\'');
    }

    public void Attribute(string name, double? value)
    {
        if (value is null) return;
        AttributeStart(name);
        var span = _output.GetSpan(32);
        if (!CotNumber.TryFormat(value.Value, span, out var written))
            throw new InvalidOperationException("a double never needs more than 32 bytes");
        _output.Advance(written);
        Byte((byte)'\'');
    }

    public void Attribute(string name, int? value)
    {
        if (value is null) return;
        AttributeStart(name);
        var span = _output.GetSpan(11);
        Utf8Formatter.TryFormat(value.Value, span, out var written);
        _output.Advance(written);
        Byte((byte)'\'');
    }

    public void Attribute(string name, bool? value)
    {
        if (value is null) return;
        AttributeStart(name);
        Raw(value.Value ? "true"u8 : "false"u8);
        Byte((byte)'\'');
    }

    /// <summary>ISO 8601 UTC with milliseconds and Z, as ATAK writes: 2024-05-01T12:00:00.000Z.</summary>
    public void Attribute(string name, DateTime value)
    {
        AttributeStart(name);
        var span = _output.GetSpan(24);
        CotTime.Format(value, span);
        _output.Advance(24);
        Byte((byte)'\'');
    }

    public void Text(string value) => Escaped(value, TextSpecials);

    private void AttributeStart(string name)
    {
        Byte((byte)' ');
        Utf8(name);
        Raw("='"u8);
    }

    private void Byte(byte b)
    {
        _output.GetSpan(1)[0] = b;
        _output.Advance(1);
    }

    private void Utf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(written);
    }

    private void Escaped(ReadOnlySpan<char> value, SearchValues<char> specials)
    {
        while (true)
        {
            var next = value.IndexOfAny(specials);
            if (next < 0)
            {
                Utf8(value);
                return;
            }

            Utf8(value[..next]);
            var c = value[next];
            switch (c)
            {
                case '&': Raw("&amp;"u8); break;
                case '<': Raw("&lt;"u8); break;
                case '>': Raw("&gt;"u8); break;
                case '\'': Raw("&apos;"u8); break;
                case '"': Raw("&quot;"u8); break;
                case '\t' or '\n' or '\r':
                    Raw("&#x"u8);
                    Utf8(((int)c).ToString("X", CultureInfo.InvariantCulture));
                    Byte((byte)';');
                    break;
                default:
                    // Not representable in XML 1.0 at all; write the replacement character rather than invalid XML.
                    Utf8("\uFFFD");
                    break;
            }

            value = value[(next + 1)..];
        }
    }
}
