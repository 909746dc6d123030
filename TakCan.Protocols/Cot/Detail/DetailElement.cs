using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>
/// One child of a CoT <c>&lt;detail&gt;</c>. Well-known elements are typed records; anything a typed record does
/// not model (extra attributes, unknown children) is kept in <see cref="OtherAttributes"/> and
/// <see cref="OtherChildren"/> so that a round trip through the model loses nothing.
/// </summary>
public abstract record DetailElement
{
    /// <summary>The XML element name, e.g. <c>contact</c> or <c>__group</c>.</summary>
    public abstract string Name { get; }

    public EquatableArray<CotAttribute> OtherAttributes { get; init; } = EquatableArray<CotAttribute>.Empty;

    public EquatableArray<OpaqueElement> OtherChildren { get; init; } = EquatableArray<OpaqueElement>.Empty;

    internal virtual void WriteTo(CotXmlBuilder xml)
    {
        xml.StartElement(Name);
        WriteAttributes(xml);
        foreach (var attribute in OtherAttributes) xml.Attribute(attribute.Name, attribute.Value);
        var text = Text;
        if (!HasTypedChildren && OtherChildren.IsEmpty && text is null)
        {
            xml.EndEmptyElement();
            return;
        }

        xml.EndStartTag();
        WriteChildren(xml);
        foreach (var child in OtherChildren) xml.Raw(child.Xml);
        if (text is not null) xml.Text(text);
        xml.EndElement(Name);
    }

    /// <summary>Character content, for the few elements that carry it (remarks, emergency).</summary>
    protected virtual string? Text => null;

    protected virtual bool HasTypedChildren => false;

    private protected abstract void WriteAttributes(CotXmlBuilder xml);

    private protected virtual void WriteChildren(CotXmlBuilder xml)
    {
    }
}
