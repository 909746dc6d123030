using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// A <see cref="Utf8JsonReader"/> that knows the path to the value it is on ("detail[2].chatGroup.uids[0]"), so every
/// error names the field and the event it is about, and that reads CoT's value kinds with CoT's rules.
/// </summary>
internal ref struct CotJsonParser
{
    // The format nests at most 7 levels (event, detail, item, child, list, item, otherAttributes); unknown
    // properties are skipped, never entered, so the path cannot grow deeper than the schema.
    private const int MaxPath = 12;

    // A copy; a ref field cannot hold a ref struct. Callers that lent their reader take it back from Reader.
    private Utf8JsonReader _reader;
    private readonly CotJsonSource _source;
    private PathBuffer _path;
    private int _pathLength;

    public CotJsonParser(Utf8JsonReader reader, CotJsonLimits limits, CotJsonSource source)
    {
        _reader = reader;
        Limits = limits;
        _source = source;
    }

    public CotJsonLimits Limits { get; }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    /// <summary>The reader's state now, to hand back to a <see cref="System.Text.Json.Serialization.JsonConverter"/>'s caller.</summary>
    public readonly Utf8JsonReader Reader => _reader;

    /// <summary>Moves to the first token of a whole input.</summary>
    public void ReadFirst()
    {
        if (!_reader.Read()) throw Fail("the input holds no event");
    }

    /// <summary>After the event: only whitespace may follow (the reader throws for anything else).</summary>
    public void ReadEnd()
    {
        if (_reader.Read()) throw Fail("unexpected content after the event");
    }

    /// <summary>Moves to the next token; the end of the input here means the JSON was cut off.</summary>
    public void Read()
    {
        if (!_reader.Read()) throw Fail("the JSON ends before the event does");
    }

    /// <summary>On an object's start or after a value: moves to the next property name; false at the object's end.</summary>
    public bool NextProperty()
    {
        Read();
        return _reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>On an array's start or after an item: moves to the next item; false at the array's end.</summary>
    public bool NextItem()
    {
        Read();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    public readonly bool IsProperty(JsonEncodedText name) => _reader.ValueTextEquals(name.EncodedUtf8Bytes);

    /// <summary>On a property name: skips its value, however deep.</summary>
    public void SkipValue() => _reader.Skip();

    public readonly string GetString() => _reader.GetString()!;

    /// <summary>On a property name: moves to its value and checks that it is an object (not null).</summary>
    public void ReadObjectStart()
    {
        Read();
        if (_reader.TokenType != JsonTokenType.StartObject) throw WrongType("an object");
    }

    /// <summary>On a property name: moves to its value; true for an array, false for null.</summary>
    public bool ReadArrayStartOrNull()
    {
        Read();
        if (_reader.TokenType == JsonTokenType.Null) return false;
        if (_reader.TokenType != JsonTokenType.StartArray) throw WrongType("an array");
        return true;
    }

    /// <summary>On a property name: moves to its value; true for an object, false for null.</summary>
    public bool ReadObjectStartOrNull()
    {
        Read();
        if (_reader.TokenType == JsonTokenType.Null) return false;
        if (_reader.TokenType != JsonTokenType.StartObject) throw WrongType("an object");
        return true;
    }

    /// <summary>On a property name (or, for array items, on the item): its string value, or null for JSON null.</summary>
    public string? ReadString(bool moveToValue = true)
    {
        if (moveToValue) Read();
        return _reader.TokenType switch
        {
            JsonTokenType.String => _reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType("a string"),
        };
    }

    public bool? ReadBool()
    {
        Read();
        return _reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw WrongType("true or false"),
        };
    }

    public int? ReadInt()
    {
        Read();
        if (_reader.TokenType == JsonTokenType.Null) return null;
        if (_reader.TokenType != JsonTokenType.Number) throw WrongType("a whole number");
        if (!_reader.TryGetInt32(out var value)) throw Fail($"{Printable()} is not a whole number between {int.MinValue} and {int.MaxValue}");
        return value;
    }

    /// <summary>A number, or one of the strings "NaN", "Infinity", "-Infinity" that JSON numbers cannot express.</summary>
    public double? ReadDouble()
    {
        Read();
        switch (_reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                // Utf8JsonReader turns 1e400 into Infinity; an overflow is an error, not a value.
                if (_reader.TryGetDouble(out var value) && double.IsFinite(value)) return value;
                throw Fail($"{Printable()} is outside the range of a double");
            case JsonTokenType.String when _reader.ValueTextEquals("NaN"u8):
                return double.NaN;
            case JsonTokenType.String when _reader.ValueTextEquals("Infinity"u8):
                return double.PositiveInfinity;
            case JsonTokenType.String when _reader.ValueTextEquals("-Infinity"u8):
                return double.NegativeInfinity;
            case JsonTokenType.String:
                throw Fail($"\"{Printable()}\" is not a number (the only strings allowed are \"NaN\", \"Infinity\" and \"-Infinity\")");
            default:
                throw WrongType("a number");
        }
    }

    public DateTime ReadTime()
    {
        Read();
        if (_reader.TokenType != JsonTokenType.String) throw WrongType("a time string such as \"2024-05-01T12:00:00.000Z\"");
        DateTime time;
        bool parsed;
        if (!_reader.ValueIsEscaped && !_reader.HasValueSequence)
            parsed = CotTime.TryParse(_reader.ValueSpan, out time);
        else if ((_reader.HasValueSequence ? _reader.ValueSequence.Length : _reader.ValueSpan.Length) <= 512)
            parsed = CotTime.TryParse(_reader.GetString().AsSpan(), out time);
        else
            (parsed, time) = (false, default);
        if (!parsed) throw Fail($"\"{Printable()}\" is not an ISO 8601 time");
        return time;
    }
    /// <summary>
    /// On an object's start: the value of its <c>element</c> property and whether it has <c>xml</c>, read ahead on a
    /// copy of the reader so the properties can come in any order.
    /// </summary>
    public readonly (string? Element, bool HasXml) PeekDiscriminator()
    {
        var copy = _reader;
        string? element = null;
        bool seenElement = false, hasXml = false;
        while (copy.Read() && copy.TokenType == JsonTokenType.PropertyName)
        {
            if (copy.ValueTextEquals(CotJsonNames.Element.EncodedUtf8Bytes))
            {
                if (seenElement) throw FailAt("element", "appears twice");
                seenElement = true;
                copy.Read();
                if (copy.TokenType != JsonTokenType.String) throw FailAt("element", $"expected a string, found {Describe(copy.TokenType)}");
                element = copy.GetString();
            }
            else
            {
                if (copy.ValueTextEquals(CotJsonNames.Xml.EncodedUtf8Bytes))
                {
                    if (hasXml) throw FailAt("xml", "appears twice");
                    hasXml = true;
                }

                copy.Skip();
            }
        }

        return (element, hasXml);
    }

    public void Push(JsonEncodedText property) => Push(property.Value, -1);

    public void Push(string property) => Push(property, -1);

    public void Push(int index) => Push(null, index);

    public void Pop() => _pathLength--;

    public readonly CotFormatException Fail(string problem, Exception? inner = null)
    {
        var path = Path();
        return _source.Fail(path.Length == 0 ? problem : $"{path}: {problem}", Offset(), inner);
    }

    /// <summary>An error about a property of the current object: "point.lat: missing (required)".</summary>
    public readonly CotFormatException FailAt(string property, string problem)
    {
        var path = Path();
        return _source.Fail($"{(path.Length == 0 ? property : $"{path}.{property}")}: {problem}", Offset());
    }

    public readonly CotFormatException Missing(JsonEncodedText property) => FailAt(property.Value, "missing (required)");

    public readonly CotFormatException Duplicate(JsonEncodedText property) => FailAt(property.Value, "appears twice");

    public readonly CotFormatException WrongType(string expected) => Fail($"expected {expected}, found {Describe(_reader.TokenType)}");

    /// <summary>Turns the reader's own complaint (bad syntax, too deep) into the domain error.</summary>
    public readonly CotFormatException InvalidJson(JsonException e)
    {
        var path = Path();
        var problem = $"invalid JSON: {e.Message}";
        var offset = e.LineNumber == 0 && e.BytePositionInLine is { } position && _source.Offset is { } start ? start + position : Offset();
        return _source.Fail(path.Length == 0 ? problem : $"{path}: {problem}", offset, e);
    }

    /// <summary>
    /// Utf8JsonReader's complaint when a string cannot become UTF-16: an escaped lone surrogate (<c>"\uD800"</c>), or
    /// invalid UTF-8 where the input was not checked beforehand.
    /// </summary>
    public readonly CotFormatException InvalidString(InvalidOperationException e) => Fail($"invalid string: {e.Message}", e);

    private void Push(string? property, int index)
    {
        if (_pathLength == MaxPath) throw new InvalidOperationException("CoT JSON path deeper than the schema allows");
        _path[_pathLength++] = new PathSegment(property, index);
    }

    private readonly long? Offset() => _source.Offset is { } start ? start + _reader.TokenStartIndex : null;

    private readonly string Path()
    {
        if (_pathLength == 0) return "";
        var text = new StringBuilder();
        for (var i = 0; i < _pathLength; i++)
        {
            var segment = _path[i];
            if (segment.Property is null) text.Append('[').Append(segment.Index).Append(']');
            else text.Append(text.Length == 0 ? "" : ".").Append(segment.Property);
        }

        return text.ToString();
    }

    private readonly string Printable()
    {
        ReadOnlySpan<byte> raw = _reader.HasValueSequence ? _reader.ValueSequence.ToArray() : _reader.ValueSpan;
        var text = Encoding.UTF8.GetString(raw.Length > 48 ? raw[..48] : raw);
        return raw.Length > 48 ? text + "…" : text;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private readonly record struct PathSegment(string? Property, int Index);

    [InlineArray(MaxPath)]
    private struct PathBuffer
    {
        private PathSegment _element;
    }
}
