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
    private ulong _takenAttributes;
    private ulong _takenChildren;

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
        for (var i = 0; i < attributes.Count && i < 64; i++)
        {
            if ((_takenAttributes & (1UL << i)) == 0 && attributes[i].Name == name)
            {
                _takenAttributes |= 1UL << i;
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
        for (var i = 0; i < attributes.Count && i < 64; i++)
        {
            if ((_takenAttributes & (1UL << i)) == 0 && attributes[i].Name == name)
            {
                var parsed = parse(attributes[i].Value);
                if (parsed is not null) _takenAttributes |= 1UL << i;
                return parsed;
            }
        }

        return null;
    }

    public XmlNode? TakeChild(string name)
    {
        var children = Children;
        if (children is null) return null;
        for (var i = 0; i < children.Count && i < 64; i++)
        {
            if ((_takenChildren & (1UL << i)) == 0 && children[i].Name == name)
            {
                _takenChildren |= 1UL << i;
                return children[i];
            }
        }

        return null;
    }

    public List<XmlNode> TakeChildren(string name)
    {
        var taken = new List<XmlNode>();
        while (TakeChild(name) is { } child) taken.Add(child);
        return taken;
    }

    public EquatableArray<CotAttribute> RestAttributes()
    {
        if (Attributes.Count == 0 || (Attributes.Count <= 64 && _takenAttributes == (Attributes.Count == 64 ? ulong.MaxValue : (1UL << Attributes.Count) - 1)))
            return EquatableArray<CotAttribute>.Empty;
        var rest = new List<CotAttribute>();
        for (var i = 0; i < Attributes.Count; i++)
            if (i >= 64 || (_takenAttributes & (1UL << i)) == 0)
                rest.Add(Attributes[i]);
        return new EquatableArray<CotAttribute>(rest);
    }

    public EquatableArray<OpaqueElement> RestChildren()
    {
        if (Children is null || Children.Count == 0) return EquatableArray<OpaqueElement>.Empty;
        var rest = new List<OpaqueElement>();
        for (var i = 0; i < Children.Count; i++)
            if (i >= 64 || (_takenChildren & (1UL << i)) == 0)
                rest.Add(new OpaqueElement(Children[i].Name, Children[i].RawXml!));
        return new EquatableArray<OpaqueElement>(rest);
    }
}
