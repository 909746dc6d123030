using System.Collections;
using System.Globalization;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// A parsed detail element on its way to a typed record. Typed readers take the attributes and children they
/// model; whatever is left becomes <see cref="DetailElement.OtherAttributes"/> and
/// <see cref="DetailElement.OtherChildren"/>.
/// </summary>
internal sealed class XmlNode
{
    private TakenSet _takenAttributes;
    private TakenSet _takenChildren;

    public XmlNode(string name) => Name = name;

    public string Name { get; }

    public List<CotAttribute> Attributes { get; } = new(4);

    public List<XmlNode>? Children { get; set; }

    /// <summary>Character content (entities decoded); null when there is none or only whitespace around children.</summary>
    public string? Text { get; set; }

    /// <summary>The element's source XML; set for nested elements, which may end up opaque.</summary>
    public string? RawXml { get; set; }

    public string? Take(string name)
    {
        var attributes = Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (!_takenAttributes.Contains(i) && attributes[i].Name == name)
            {
                _takenAttributes.Add(i);
                return attributes[i].Value;
            }
        }

        return null;
    }

    /// <summary>Takes a numeric attribute; one that does not parse stays an other-attribute, so nothing is lost.</summary>
    public double? TakeDouble(string name) => TakeParsed<double>(name, static v => CotNumber.TryParse(v, out var d) ? d : null);

    public int? TakeInt(string name) =>
        TakeParsed<int>(name, static v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null);

    public bool? TakeBool(string name) => TakeParsed<bool>(name, static v => v switch
    {
        "true" => true,
        "false" => false,
        _ => (bool?)null,
    });

    private T? TakeParsed<T>(string name, Func<string, T?> parse) where T : struct
    {
        var attributes = Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            if (!_takenAttributes.Contains(i) && attributes[i].Name == name)
            {
                var parsed = parse(attributes[i].Value);
                if (parsed is not null) _takenAttributes.Add(i);
                return parsed;
            }
        }

        return null;
    }

    public XmlNode? TakeChild(string name)
    {
        var children = Children;
        if (children is null) return null;
        for (var i = 0; i < children.Count; i++)
        {
            if (!_takenChildren.Contains(i) && children[i].Name == name)
            {
                _takenChildren.Add(i);
                return children[i];
            }
        }

        return null;
    }

    public List<XmlNode> TakeChildren(string name)
    {
        // One pass: a polyline may have thousands of vertices.
        var taken = new List<XmlNode>();
        var children = Children;
        if (children is null) return taken;
        for (var i = 0; i < children.Count; i++)
        {
            if (!_takenChildren.Contains(i) && children[i].Name == name)
            {
                _takenChildren.Add(i);
                taken.Add(children[i]);
            }
        }

        return taken;
    }

    public EquatableArray<CotAttribute> RestAttributes()
    {
        List<CotAttribute>? rest = null;
        for (var i = 0; i < Attributes.Count; i++)
            if (!_takenAttributes.Contains(i))
                (rest ??= new List<CotAttribute>()).Add(Attributes[i]);
        return rest is null ? EquatableArray<CotAttribute>.Empty : new EquatableArray<CotAttribute>(rest);
    }

    public EquatableArray<OpaqueElement> RestChildren()
    {
        if (Children is null || Children.Count == 0) return EquatableArray<OpaqueElement>.Empty;
        var rest = new List<OpaqueElement>();
        for (var i = 0; i < Children.Count; i++)
            if (!_takenChildren.Contains(i))
                rest.Add(new OpaqueElement(Children[i].Name, Children[i].RawXml!));
        return new EquatableArray<OpaqueElement>(rest);
    }

    /// <summary>
    /// Indexes taken by typed readers: one word for the usual handful, a bit array only for elements with more
    /// than 64 attributes or children (a long polyline, a big group chat), which must not be cut off at 64.
    /// </summary>
    private struct TakenSet
    {
        private ulong _first64;
        private BitArray? _rest;

        public readonly bool Contains(int index) =>
            index < 64 ? (_first64 & (1UL << index)) != 0 : _rest is not null && index - 64 < _rest.Length && _rest[index - 64];

        public void Add(int index)
        {
            if (index < 64)
            {
                _first64 |= 1UL << index;
                return;
            }

            _rest ??= new BitArray(64);
            if (index - 64 >= _rest.Length) _rest.Length = Math.Max(_rest.Length * 2, index - 64 + 1);
            _rest[index - 64] = true;
        }
    }
}
