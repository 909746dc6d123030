using System.Buffers;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// Cuts a CoT JSON stream, fed in chunks of any size, into one record per event (specs/cot-json.md, "Files and
/// streams"): JSON Lines, one event per line; or, when the first non-blank byte is <c>[</c>, the elements of one
/// top-level array. The records are not parsed here; <see cref="CotJson.Decode"/> does that.
/// </summary>
/// <remarks>
/// A bad event stays one bad record: lines are cut at <c>\n</c> whatever they hold, and array elements at the commas
/// between them, outside strings. An event larger than the limit is reported once and dropped without being buffered,
/// so memory stays bounded by the limit plus one chunk.
/// </remarks>
public sealed class CotJsonLineSplitter
{
    private static ReadOnlySpan<byte> Bom => "\uFEFF"u8;

    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],"u8);
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create("\"\\"u8);

    private readonly int _maxEventBytes;
    private Form _form;
    private long _position;
    private int _line = 1;
    private int _index;

    // The record being cut.
    private bool _inRecord;
    private long _recordOffset;
    private int _recordLine;
    private long _recordLength;
    private byte[] _buffer = [];

    // Array form: where the scan is inside the current element.
    private long _depth;
    private bool _inString;
    private bool _escaped;
    private bool _afterComma;

    public CotJsonLineSplitter(int maxEventBytes = CotJsonLimits.DefaultMaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        _maxEventBytes = maxEventBytes;
    }

    private enum Form
    {
        /// <summary>Nothing but blanks (and a BOM) seen yet.</summary>
        Unknown,
        Lines,
        ArrayBetweenElements,
        ArrayElement,
        ArrayClosed,
        /// <summary>Something followed the array's ']': reported once, the rest ignored.</summary>
        Ignoring,
        Completed,
    }

    /// <summary>Records completed by this chunk, in order. Their bytes are copies and stay valid.</summary>
    public IReadOnlyList<CotJsonLine> Feed(ReadOnlySpan<byte> chunk)
    {
        var output = new List<CotJsonLine>();
        Feed(chunk, output);
        return output;
    }

    /// <summary>End of input: the last line without a newline, or an error for an array that was never closed.</summary>
    public IReadOnlyList<CotJsonLine> Complete()
    {
        var output = new List<CotJsonLine>();
        Complete(output);
        return output;
    }

    internal void Feed(ReadOnlySpan<byte> chunk, List<CotJsonLine> output)
    {
        if (_form == Form.Completed) throw new InvalidOperationException("Feed after Complete");
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_form)
            {
                case Form.Unknown:
                    i = SkipPreamble(chunk, i);
                    break;
                case Form.Lines:
                    i = ScanLine(chunk, i, output);
                    break;
                case Form.ArrayBetweenElements:
                    i = BetweenElements(chunk, i, output);
                    break;
                case Form.ArrayElement:
                    i = ScanElement(chunk, i, output);
                    break;
                case Form.ArrayClosed:
                    i = AfterArray(chunk, i, output);
                    break;
                default:
                    i = chunk.Length;
                    break;
            }
        }

        _position += chunk.Length;
    }

    internal void Complete(List<CotJsonLine> output)
    {
        switch (_form)
        {
            case Form.Lines when _inRecord:
                EndRecord(output, skipBlank: true);
                break;
            case Form.ArrayElement:
                EmitError(output, _recordOffset, _recordLine, "the stream ends inside this event: the array is not closed");
                break;
            case Form.ArrayBetweenElements:
                EmitError(output, _position, _line, "the stream ends before the array's closing ']'");
                break;
        }

        _form = Form.Completed;
    }

    private int SkipPreamble(ReadOnlySpan<byte> chunk, int i)
    {
        var b = chunk[i];
        // A BOM is not part of the format, but editors add one; accept it at the very start only.
        if (_position + i < Bom.Length && b == Bom[(int)(_position + i)]) return i + 1;
        if (IsBlank(b))
        {
            if (b == (byte)'\n') _line++;
            return i + 1;
        }

        if (b == (byte)'[')
        {
            _form = Form.ArrayBetweenElements;
            _afterComma = false;
            return i + 1;
        }

        _form = Form.Lines;
        return i;
    }

    private int ScanLine(ReadOnlySpan<byte> chunk, int i, List<CotJsonLine> output)
    {
        if (!_inRecord) StartRecord(_position + i);
        var rest = chunk[i..];
        var newline = rest.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Append(rest);
            return chunk.Length;
        }

        Append(rest[..newline]);
        EndRecord(output, skipBlank: true);
        _line++;
        return i + newline + 1;
    }

    private int BetweenElements(ReadOnlySpan<byte> chunk, int i, List<CotJsonLine> output)
    {
        var b = chunk[i];
        if (IsBlank(b))
        {
            if (b == (byte)'\n') _line++;
            return i + 1;
        }

        switch (b)
        {
            case (byte)']':
                if (_afterComma) EmitError(output, _position + i, _line, "expected an event after ',', found ']'");
                _form = Form.ArrayClosed;
                return i + 1;
            case (byte)',':
                EmitError(output, _position + i, _line, "expected an event, found ','");
                _afterComma = true;
                return i + 1;
            default:
                StartRecord(_position + i);
                _depth = 0;
                _inString = false;
                _escaped = false;
                _form = Form.ArrayElement;
                return i;
        }
    }

    /// <summary>Follows strings and nesting to the ',' or ']' that ends the element; everything up to it is the record.</summary>
    private int ScanElement(ReadOnlySpan<byte> chunk, int i, List<CotJsonLine> output)
    {
        var k = i;
        var end = -1;
        while (k < chunk.Length && end < 0)
        {
            if (_escaped)
            {
                _escaped = false;
                k++;
                continue;
            }

            var rest = chunk[k..];
            var next = _inString ? rest.IndexOfAny(StringSpecials) : rest.IndexOfAny(Structural);
            if (next < 0)
            {
                k = chunk.Length;
                break;
            }

            k += next;
            switch (chunk[k])
            {
                case (byte)'\\':
                    _escaped = true;
                    break;
                case (byte)'"':
                    _inString = !_inString;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)']' when _depth == 0:
                case (byte)',' when _depth == 0:
                    end = k;
                    continue;
                case (byte)'}' or (byte)']':
                    // A stray '}' at depth 0 stays in the record, whose parse then fails.
                    if (_depth > 0) _depth--;
                    break;
            }

            k++;
        }

        var segment = chunk[i..(end < 0 ? k : end)];
        _line += segment.Count((byte)'\n');
        Append(segment);
        if (end < 0) return chunk.Length;

        EndRecord(output, skipBlank: false);
        if (chunk[end] == (byte)',')
        {
            _afterComma = true;
            _form = Form.ArrayBetweenElements;
        }
        else
        {
            _form = Form.ArrayClosed;
        }

        return end + 1;
    }

    private int AfterArray(ReadOnlySpan<byte> chunk, int i, List<CotJsonLine> output)
    {
        var b = chunk[i];
        if (IsBlank(b))
        {
            if (b == (byte)'\n') _line++;
            return i + 1;
        }

        EmitError(output, _position + i, _line, "unexpected content after the array's closing ']' (the rest of the stream is ignored)");
        _form = Form.Ignoring;
        return chunk.Length;
    }

    private void StartRecord(long offset)
    {
        _inRecord = true;
        _recordOffset = offset;
        _recordLine = _line;
        _recordLength = 0;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var before = _recordLength;
        _recordLength += bytes.Length;
        // Past the limit nothing more is kept; the record is only counted until its end.
        if (_recordLength > _maxEventBytes) return;
        var needed = (int)_recordLength;
        if (_buffer.Length < needed) Array.Resize(ref _buffer, Math.Min(_maxEventBytes, Math.Max(needed, Math.Max(256, _buffer.Length * 2))));
        bytes.CopyTo(_buffer.AsSpan((int)before));
    }

    private void EndRecord(List<CotJsonLine> output, bool skipBlank)
    {
        _inRecord = false;
        if (_recordLength > _maxEventBytes)
        {
            EmitError(output, _recordOffset, _recordLine, $"event is over {_maxEventBytes} bytes, the limit");
            return;
        }

        var record = _buffer.AsSpan(0, (int)_recordLength);
        var leading = record.Length - record.TrimStart(" \t\r\n"u8).Length;
        record = record.Trim(" \t\r\n"u8);
        if (record.IsEmpty)
        {
            // A blank line is nothing; an empty array element ("[1,,2]") is an error.
            if (!skipBlank) EmitError(output, _recordOffset, _recordLine, "expected an event, found nothing");
            return;
        }

        output.Add(new CotJsonLine(_index++, record.ToArray(), null, _recordOffset + leading, _recordLine));
    }

    private void EmitError(List<CotJsonLine> output, long offset, int line, string problem)
    {
        var index = _index++;
        var error = new CotFormatException($"event {index} (line {line}): {problem}", offset);
        output.Add(new CotJsonLine(index, ReadOnlyMemory<byte>.Empty, error, offset, line));
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
