using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
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

    public string Name { get; private set; }

    public List<CotAttribute> Attributes { get; private set; } = new(4);

    public List<XmlNode>? Children { get; set; }

    /// <summary>Character content (entities decoded); null when there is none or only whitespace around children.</summary>
    public string? Text { get; set; }

    /// <summary>The element's source XML; set for nested elements, which may end up opaque.</summary>
    public string? RawXml { get; set; }

    /// <summary>
    /// Empties the node for the next element, keeping its lists unless an unusually large element grew them. Typed
    /// readers keep nothing of the node they read, so the scanner reads every top-level detail element into one node.
    /// </summary>
    public void Reset(string name)
    {
        const int keptCapacity = 32;
        Name = name;
        if (Attributes.Capacity > keptCapacity) Attributes = new(4);
        else Attributes.Clear();
        if (Children is { Capacity: > keptCapacity }) Children = null;
        else Children?.Clear();
        Text = null;
        RawXml = null;
        _takenAttributes = default;
        _takenChildren = default;
    }

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

    // Counted first so that the element keeps one exact-size array and no list.
    public EquatableArray<CotAttribute> RestAttributes()
    {
        var attributes = Attributes;
        var count = 0;
        for (var i = 0; i < attributes.Count; i++)
            if (!_takenAttributes.Contains(i))
                count++;
        if (count == 0) return EquatableArray<CotAttribute>.Empty;
        var rest = new CotAttribute[count];
        var next = 0;
        for (var i = 0; i < attributes.Count; i++)
            if (!_takenAttributes.Contains(i))
                rest[next++] = attributes[i];
        return ImmutableCollectionsMarshal.AsImmutableArray(rest);
    }

    public EquatableArray<OpaqueElement> RestChildren()
    {
        var children = Children;
        if (children is null || children.Count == 0) return EquatableArray<OpaqueElement>.Empty;
        var count = 0;
        for (var i = 0; i < children.Count; i++)
            if (!_takenChildren.Contains(i))
                count++;
        if (count == 0) return EquatableArray<OpaqueElement>.Empty;
        var rest = new OpaqueElement[count];
        var next = 0;
        for (var i = 0; i < children.Count; i++)
            if (!_takenChildren.Contains(i))
                rest[next++] = new OpaqueElement(children[i].Name, children[i].RawXml!);
        return ImmutableCollectionsMarshal.AsImmutableArray(rest);
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
