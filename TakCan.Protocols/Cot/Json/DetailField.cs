using System.Text.Json;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// One typed property of a detail item: how to write it from the record and read it back into one. A schema lists
/// its fields once, so writing and reading cannot drift apart.
/// </summary>
internal abstract class DetailField<T> where T : DetailElement
{
    protected DetailField(string name) => Name = JsonEncodedText.Encode(name);

    public JsonEncodedText Name { get; }

    /// <summary>Writes the property, or nothing when the record has no value for it (nulls and empty lists are omitted).</summary>
    public abstract void Write(Utf8JsonWriter writer, T element);

    /// <summary>On the property's name: reads its value into a copy of <paramref name="element"/>; JSON null leaves it unset.</summary>
    /// <param name="xmlDepth">Depth of the record's own XML element inside &lt;event&gt;, for the XML its children carry.</param>
    public abstract T Read(ref CotJsonParser parser, T element, int xmlDepth);
}

internal sealed class TextField<T>(string name, Func<T, string?> get, Func<T, string, T> set) : DetailField<T>(name)
    where T : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        if (get(element) is { } value) writer.WriteString(Name, value);
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth) =>
        parser.ReadString() is { } value ? set(element, value) : element;
}

internal sealed class BoolField<T>(string name, Func<T, bool?> get, Func<T, bool, T> set) : DetailField<T>(name)
    where T : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        if (get(element) is { } value) writer.WriteBoolean(Name, value);
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth) =>
        parser.ReadBool() is { } value ? set(element, value) : element;
}

internal sealed class IntField<T>(string name, Func<T, int?> get, Func<T, int, T> set) : DetailField<T>(name)
    where T : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        if (get(element) is { } value) writer.WriteNumber(Name, value);
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth) =>
        parser.ReadInt() is { } value ? set(element, value) : element;
}

internal sealed class NumberField<T>(string name, Func<T, double?> get, Func<T, double, T> set) : DetailField<T>(name)
    where T : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        if (get(element) is { } value) CotJsonEventWriter.WriteNumber(writer, Name, value);
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth) =>
        parser.ReadDouble() is { } value ? set(element, value) : element;
}

internal sealed class TextListField<T>(string name, Func<T, EquatableArray<string>> get, Func<T, EquatableArray<string>, T> set)
    : DetailField<T>(name)
    where T : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        var values = get(element);
        if (values.IsEmpty) return;
        writer.WriteStartArray(Name);
        foreach (var value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth)
    {
        if (!parser.ReadArrayStartOrNull()) return element;
        var values = new List<string>();
        while (parser.NextItem())
        {
            parser.Push(values.Count);
            values.Add(parser.ReadString(moveToValue: false) ?? throw parser.WrongType("a string"));
            parser.Pop();
        }

        return values.Count == 0 ? element : set(element, new EquatableArray<string>(values));
    }
}

/// <summary>A typed child element (chatGroup, connectionEntry, ellipse…): an object without "element", its kind fixed by the property.</summary>
internal sealed class ChildField<T, TChild>(string name, DetailSchema<TChild> schema, Func<T, TChild?> get, Func<T, TChild, T> set)
    : DetailField<T>(name)
    where T : DetailElement
    where TChild : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        if (get(element) is not { } child) return;
        writer.WritePropertyName(Name);
        schema.WriteObject(writer, child);
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth) =>
        parser.ReadObjectStartOrNull() ? set(element, schema.ReadObject(ref parser, xmlDepth + 1)) : element;
}

/// <summary>Repeated typed children in order (vertices, destinations).</summary>
internal sealed class ChildListField<T, TChild>(
    string name,
    DetailSchema<TChild> schema,
    Func<T, EquatableArray<TChild>> get,
    Func<T, EquatableArray<TChild>, T> set) : DetailField<T>(name)
    where T : DetailElement
    where TChild : DetailElement
{
    public override void Write(Utf8JsonWriter writer, T element)
    {
        var children = get(element);
        if (children.IsEmpty) return;
        writer.WriteStartArray(Name);
        foreach (var child in children) schema.WriteObject(writer, child);
        writer.WriteEndArray();
    }

    public override T Read(ref CotJsonParser parser, T element, int xmlDepth)
    {
        if (!parser.ReadArrayStartOrNull()) return element;
        var children = new List<TChild>();
        while (parser.NextItem())
        {
            parser.Push(children.Count);
            if (parser.TokenType != JsonTokenType.StartObject) throw parser.WrongType("an object");
            children.Add(schema.ReadObject(ref parser, xmlDepth + 1));
            parser.Pop();
        }

        return children.Count == 0 ? element : set(element, new EquatableArray<TChild>(children));
    }
}
