using System.Text.Json;
using System.Text.Json.Serialization;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// Lets <see cref="JsonSerializer"/> carry CoT events inside other JSON (web map, HTTP APIs) in the form of
/// specs/cot-json.md. Reading errors are <see cref="CotFormatException"/>s, as everywhere else.
/// </summary>
public sealed class CotEventJsonConverter : JsonConverter<CotEvent>
{
    public override CotEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var parser = new CotJsonParser(reader, CotJsonLimits.Default, CotJsonSource.Embedded);
        var evt = CotJsonEventReader.ReadEmbedded(ref parser);
        // The converter contract: leave the caller's reader on the event's last token.
        reader = parser.Reader;
        return evt;
    }

    public override void Write(Utf8JsonWriter writer, CotEvent value, JsonSerializerOptions options) => CotJson.Write(value, writer);
}
