using System.Text.Json;

namespace TakCan.Protocols.Cot.Json;

/// <summary>Writes one event object in the order of specs/cot-json.md; the text is stable for a given event.</summary>
internal static class CotJsonEventWriter
{
    public static void Write(Utf8JsonWriter writer, CotEvent evt)
    {
        writer.WriteStartObject();
        writer.WriteString(CotJsonNames.Version, evt.Version);
        writer.WriteString(CotJsonNames.Uid, evt.Uid);
        writer.WriteString(CotJsonNames.Type, evt.Type);
        writer.WriteString(CotJsonNames.How, evt.How);
        WriteTime(writer, CotJsonNames.Time, evt.Time);
        WriteTime(writer, CotJsonNames.Start, evt.Start);
        WriteTime(writer, CotJsonNames.Stale, evt.Stale);
        if (evt.Access is not null) writer.WriteString(CotJsonNames.Access, evt.Access);
        if (evt.Qos is not null) writer.WriteString(CotJsonNames.Qos, evt.Qos);
        if (evt.Opex is not null) writer.WriteString(CotJsonNames.Opex, evt.Opex);

        var point = evt.Point;
        writer.WriteStartObject(CotJsonNames.Point);
        WriteNumber(writer, CotJsonNames.Lat, point.Lat);
        WriteNumber(writer, CotJsonNames.Lon, point.Lon);
        WriteNumber(writer, CotJsonNames.Hae, point.Hae);
        WriteNumber(writer, CotJsonNames.Ce, point.Ce);
        WriteNumber(writer, CotJsonNames.Le, point.Le);
        writer.WriteEndObject();

        writer.WriteStartArray(CotJsonNames.Detail);
        foreach (var element in evt.Detail.Elements) DetailSchemas.WriteItem(writer, element);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// JSON numbers cannot be NaN or infinite, but CoT carries them (feeds send <c>course="NaN"</c>), so those three
    /// travel as the strings "NaN", "Infinity" and "-Infinity".
    /// </summary>
    public static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTime value)
    {
        Span<byte> text = stackalloc byte[CotTime.FormattedLength];
        CotTime.Format(value, text);
        writer.WriteString(name, text);
    }
}
