using System.Text.Json;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// The JSON shape of one kind of detail element (specs/cot-json.md, "Detail items"): its <c>element</c> name, its typed
/// properties, and the <c>otherAttributes</c> / <c>otherChildren</c> every kind carries.
/// </summary>
internal abstract class DetailSchema
{
    protected DetailSchema(string elementName)
    {
        ElementName = elementName;
        EncodedElementName = JsonEncodedText.Encode(elementName);
    }

    public string ElementName { get; }

    public JsonEncodedText EncodedElementName { get; }

    public abstract Type ElementType { get; }

    /// <summary>Writes the element as a detail item: an object led by its <c>element</c> discriminator.</summary>
    public void WriteItem(Utf8JsonWriter writer, DetailElement element)
    {
        writer.WriteStartObject();
        writer.WriteString(CotJsonNames.Element, EncodedElementName);
        WriteProperties(writer, element);
        writer.WriteEndObject();
    }

    /// <summary>On the item's start: reads it; the reader ends on the item's end.</summary>
    /// <param name="xmlDepth">Depth the element has in XML inside &lt;event&gt; (detail items are at 3).</param>
    public abstract DetailElement ReadItem(ref CotJsonParser parser, int xmlDepth);

    protected abstract void WriteProperties(Utf8JsonWriter writer, DetailElement element);

    public static void WriteOthers(Utf8JsonWriter writer, DetailElement element)
    {
        if (!element.OtherAttributes.IsEmpty)
        {
            writer.WriteStartObject(CotJsonNames.OtherAttributes);
            foreach (var attribute in element.OtherAttributes) writer.WriteString(attribute.Name, attribute.Value);
            writer.WriteEndObject();
        }

        if (!element.OtherChildren.IsEmpty)
        {
            writer.WriteStartArray(CotJsonNames.OtherChildren);
            foreach (var child in element.OtherChildren) writer.WriteStringValue(child.Xml);
            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// On the <c>otherAttributes</c> name: its object, in order. Names must be XML names and unique, because they are
    /// written into XML verbatim: anything else would let a JSON import inject markup into the XML an export writes.
    /// </summary>
    public static EquatableArray<CotAttribute> ReadOtherAttributes(ref CotJsonParser parser)
    {
        if (!parser.ReadObjectStartOrNull()) return EquatableArray<CotAttribute>.Empty;
        var attributes = new List<CotAttribute>();
        var max = parser.Limits.Xml.MaxAttributes;
        while (parser.NextProperty())
        {
            var name = parser.GetString();
            if (!IsXmlName(name)) throw parser.Fail($"'{Shorten(name)}' is not an XML attribute name");
            foreach (var existing in attributes)
                if (existing.Name == name)
                    throw parser.Fail($"'{name}' appears twice");
            if (attributes.Count == max) throw parser.Fail($"more than {max} attributes");
            parser.Push(name);
            attributes.Add(new CotAttribute(name, parser.ReadString() ?? throw parser.WrongType("a string")));
            parser.Pop();
        }

        return attributes.Count == 0 ? EquatableArray<CotAttribute>.Empty : new EquatableArray<CotAttribute>(attributes);
    }

    /// <summary>On the <c>otherChildren</c> name: its array of XML strings, each checked as one well-formed element.</summary>
    public static EquatableArray<OpaqueElement> ReadOtherChildren(ref CotJsonParser parser, int childXmlDepth)
    {
        if (!parser.ReadArrayStartOrNull()) return EquatableArray<OpaqueElement>.Empty;
        var children = new List<OpaqueElement>();
        while (parser.NextItem())
        {
            parser.Push(children.Count);
            if (parser.TokenType != JsonTokenType.String) throw parser.WrongType("a string of XML");
            children.Add(ParseXml(ref parser, parser.GetString(), childXmlDepth));
            parser.Pop();
        }

        return children.Count == 0 ? EquatableArray<OpaqueElement>.Empty : new EquatableArray<OpaqueElement>(children);
    }

    /// <summary>
    /// Checks XML carried in JSON with the XML reader's own rules, at the depth the element will have inside
    /// &lt;event&gt;, so an event accepted here is also accepted when written as XML and read back.
    /// </summary>
    public static OpaqueElement ParseXml(ref CotJsonParser parser, string xml, int xmlDepth)
    {
        var limits = parser.Limits.Xml;
        var maxDepth = limits.MaxDepth - (xmlDepth - 1);
        if (maxDepth < 1) throw parser.Fail($"XML here would be nested deeper than {limits.MaxDepth} elements inside <event>");
        try
        {
            return OpaqueElement.Parse(xml, limits with { MaxDepth = maxDepth });
        }
        catch (CotFormatException e)
        {
            throw parser.Fail($"not one well-formed XML element: {e.Message}", e);
        }
    }

    /// <summary>
    /// The XML reader's name rule (CotXmlScanner): a letter, '_', ':' or non-ASCII first, then also digits, '-' and '.';
    /// never the noncharacters U+FFFE and U+FFFF, which it refuses anywhere.
    /// </summary>
    private static bool IsXmlName(string name)
    {
        if (name.Length == 0 || !IsNameStart(name[0])) return false;
        foreach (var c in name.AsSpan(1))
            if (!IsNameStart(c) && !char.IsAsciiDigit(c) && c is not ('-' or '.'))
                return false;
        return true;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':' || (c >= 0x80 && c is not ('\uFFFE' or '\uFFFF'));

    private static string Shorten(string text) => text.Length > 48 ? text[..48] + "…" : text;
}

/// <summary>The schema of one typed detail record, built as a list of fields (see <see cref="DetailSchemas"/>).</summary>
internal sealed class DetailSchema<T> : DetailSchema where T : DetailElement
{
    private readonly Func<T> _create;
    private readonly List<DetailField<T>> _fields = [];

    public DetailSchema(string elementName, Func<T> create)
        : base(elementName) => _create = create;

    public override Type ElementType => typeof(T);

    public DetailSchema<T> Text(string name, Func<T, string?> get, Func<T, string, T> set) => Add(new TextField<T>(name, get, set));

    public DetailSchema<T> Bool(string name, Func<T, bool?> get, Func<T, bool, T> set) => Add(new BoolField<T>(name, get, set));

    public DetailSchema<T> Int(string name, Func<T, int?> get, Func<T, int, T> set) => Add(new IntField<T>(name, get, set));

    public DetailSchema<T> Number(string name, Func<T, double?> get, Func<T, double, T> set) => Add(new NumberField<T>(name, get, set));

    public DetailSchema<T> TextList(string name, Func<T, EquatableArray<string>> get, Func<T, EquatableArray<string>, T> set) =>
        Add(new TextListField<T>(name, get, set));

    public DetailSchema<T> Child<TChild>(string name, DetailSchema<TChild> schema, Func<T, TChild?> get, Func<T, TChild, T> set)
        where TChild : DetailElement => Add(new ChildField<T, TChild>(name, schema, get, set));

    public DetailSchema<T> Children<TChild>(
        string name,
        DetailSchema<TChild> schema,
        Func<T, EquatableArray<TChild>> get,
        Func<T, EquatableArray<TChild>, T> set)
        where TChild : DetailElement => Add(new ChildListField<T, TChild>(name, schema, get, set));

    /// <summary>Writes a nested record (chatGroup, a vertex…) as an object without <c>element</c>.</summary>
    public void WriteObject(Utf8JsonWriter writer, T element)
    {
        writer.WriteStartObject();
        WriteFields(writer, element);
        writer.WriteEndObject();
    }

    public override DetailElement ReadItem(ref CotJsonParser parser, int xmlDepth) => ReadObject(ref parser, xmlDepth);

    /// <summary>On the object's start: reads the record. Unknown properties (and <c>element</c>) are skipped.</summary>
    public T ReadObject(ref CotJsonParser parser, int xmlDepth)
    {
        var element = _create();
        var attributes = EquatableArray<CotAttribute>.Empty;
        var children = EquatableArray<OpaqueElement>.Empty;
        var otherAttributesIndex = _fields.Count;
        var otherChildrenIndex = _fields.Count + 1;
        ulong seen = 0;
        while (parser.NextProperty())
        {
            var index = Match(ref parser);
            if (index < 0)
            {
                parser.SkipValue();
                continue;
            }

            var name = index == otherAttributesIndex ? CotJsonNames.OtherAttributes
                : index == otherChildrenIndex ? CotJsonNames.OtherChildren
                : _fields[index].Name;
            if ((seen & (1UL << index)) != 0) throw parser.Duplicate(name);
            seen |= 1UL << index;
            parser.Push(name);
            if (index == otherAttributesIndex) attributes = ReadOtherAttributes(ref parser);
            else if (index == otherChildrenIndex) children = ReadOtherChildren(ref parser, xmlDepth + 1);
            else element = _fields[index].Read(ref parser, element, xmlDepth);
            parser.Pop();
        }

        if (attributes.IsEmpty && children.IsEmpty) return element;
        return (T)((DetailElement)element with { OtherAttributes = attributes, OtherChildren = children });
    }

    protected override void WriteProperties(Utf8JsonWriter writer, DetailElement element) => WriteFields(writer, (T)element);

    private void WriteFields(Utf8JsonWriter writer, T element)
    {
        foreach (var field in _fields) field.Write(writer, element);
        WriteOthers(writer, element);
    }

    private int Match(ref CotJsonParser parser)
    {
        for (var i = 0; i < _fields.Count; i++)
            if (parser.IsProperty(_fields[i].Name))
                return i;
        if (parser.IsProperty(CotJsonNames.OtherAttributes)) return _fields.Count;
        if (parser.IsProperty(CotJsonNames.OtherChildren)) return _fields.Count + 1;
        return -1;
    }

    private DetailSchema<T> Add(DetailField<T> field)
    {
        // Duplicate detection keeps one bit per property, other attributes and children included.
        if (_fields.Count == 62) throw new InvalidOperationException($"{ElementName}: too many fields for one schema");
        _fields.Add(field);
        return this;
    }
}
