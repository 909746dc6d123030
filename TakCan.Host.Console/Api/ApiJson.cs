using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TakCan.Protocols.Mesh;

namespace TakCan.Host.Console.Api;

/// <summary>The JSON of the local API, for the server and its clients alike: camelCase names, enums as camelCase strings, node ids as hex.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Sets the local API's conventions on <paramref name="options"/> (e.g. ASP.NET Core's own).</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Callsigns, remarks and error messages stay readable with curl; the API serves JSON only, never HTML.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new NodeIdConverter());
    }

    private sealed class NodeIdConverter : JsonConverter<NodeId>
    {
        public override NodeId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var hex = reader.GetString();
            if (hex is not { Length: NodeId.Size * 2 } || !hex.All(char.IsAsciiHexDigit))
                throw new JsonException($"a node id is {NodeId.Size * 2} hex digits");
            return NodeId.Parse(hex);
        }

        public override void Write(Utf8JsonWriter writer, NodeId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
