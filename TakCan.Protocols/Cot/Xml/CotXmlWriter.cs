using System.Buffers;
using System.Text;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Writes CoT events as ATAK does: UTF-8, single-quoted attributes, times with milliseconds and Z,
/// <c>point</c> before <c>detail</c>.
/// </summary>
public static class CotXmlWriter
{
    /// <summary>The declaration TAK streaming peers expect before each event.</summary>
    public static ReadOnlySpan<byte> Declaration => "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"u8;

    public static void Write(CotEvent evt, IBufferWriter<byte> output, bool declaration = true)
    {
        var xml = new CotXmlBuilder(output);
        if (declaration) xml.Raw(Declaration);
        xml.StartElement("event");
        xml.Attribute("version", evt.Version);
        xml.Attribute("uid", evt.Uid);
        xml.Attribute("type", evt.Type);
        xml.Attribute("how", evt.How);
        xml.Attribute("time", evt.Time);
        xml.Attribute("start", evt.Start);
        xml.Attribute("stale", evt.Stale);
        xml.Attribute("access", evt.Access);
        xml.Attribute("qos", evt.Qos);
        xml.Attribute("opex", evt.Opex);
        xml.EndStartTag();

        var p = evt.Point;
        xml.StartElement("point");
        xml.Attribute("lat", p.Lat);
        xml.Attribute("lon", p.Lon);
        xml.Attribute("hae", p.Hae);
        xml.Attribute("ce", p.Ce);
        xml.Attribute("le", p.Le);
        xml.EndEmptyElement();

        if (!evt.Detail.IsEmpty)
        {
            xml.StartElement("detail");
            xml.EndStartTag();
            WriteDetailChildren(evt.Detail, xml);
            xml.EndElement("detail");
        }

        xml.EndElement("event");
    }

    public static byte[] ToUtf8(CotEvent evt, bool declaration = true)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(evt, buffer, declaration);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToXml(CotEvent evt, bool declaration = true) => Encoding.UTF8.GetString(ToUtf8(evt, declaration));

    /// <summary>The children of a detail without the <c>&lt;detail&gt;</c> wrapper: TAK Protocol's xmlDetail form.</summary>
    public static string DetailChildrenToXml(IEnumerable<Detail.DetailElement> elements)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var xml = new CotXmlBuilder(buffer);
        foreach (var element in elements) element.WriteTo(xml);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteDetailChildren(CotDetail detail, CotXmlBuilder xml)
    {
        foreach (var element in detail.Elements) element.WriteTo(xml);
    }
}
