using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace TakCan.Protocols.Mesh.Keys;

/// <summary>
/// The key file: UTF-8 JSON holding one <see cref="MissionKey"/> with its rotation state
/// (specs/mesh-keys.md, "Key file"). Reading checks every field and the stored key ids against the keys,
/// so a hand-edited or damaged file is refused rather than used.
/// </summary>
public static class MissionKeyFile
{
    public const string Format = "takcan-mission-key";
    public const int Version = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string TimeReadFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Mission names in any script stay readable in the file.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly string[] Properties =
        ["format", "version", "mission", "team", "maxHops", "expires", "key", "keyId", "previousKey", "previousKeyId", "previousValidUntil"];

    /// <summary>The file's bytes. They hold the key: write them only to a key store and clear them afterwards.</summary>
    public static byte[] Write(MissionKey key)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("mission", key.Mission);
            json.WriteString("team", key.Team);
            json.WriteNumber("maxHops", key.MaxHops);
            json.WriteString("expires", FormatTime(key.Expires));
            json.WriteBase64String("key", key.Key.Span);
            json.WriteString("keyId", MissionKey.FormatKeyId(key.KeyId));
            if (key.Previous is { } previous)
            {
                json.WriteBase64String("previousKey", previous.Span);
                json.WriteString("previousKeyId", MissionKey.FormatKeyId(key.PreviousKeyId!.Value));
                json.WriteString("previousValidUntil", FormatTime(key.PreviousValidUntil!.Value));
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a key file, refusing anything not exactly as <see cref="Write"/> lays it out with a <see cref="MissionKeyException"/>.</summary>
    public static MissionKey Read(ReadOnlyMemory<byte> utf8Json)
    {
        // An editor may have added a byte order mark; the JSON reader would refuse it.
        if (utf8Json.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8Json = utf8Json[3..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException e)
        {
            throw new MissionKeyException($"the key file is not valid JSON ({e.Message}); restore it from a backup or import the mission code again", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Damaged("it is not a JSON object");
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (Array.IndexOf(Properties, property.Name) < 0)
                    throw Damaged($"it has an unknown field '{property.Name}'");
                if (!fields.TryAdd(property.Name, property.Value))
                    throw Damaged($"it has the field '{property.Name}' twice");
            }

            if (GetString(fields, "format") != Format)
                throw new MissionKeyException($"this is not a TAK Can mission key file (format should be '{Format}')");
            var version = GetInt(fields, "version");
            if (version != Version)
                throw new MissionKeyException($"the key file is version {version} and this TAK Can reads version {Version} only; update TAK Can");

            var key = GetKey(fields, "key");
            byte[]? previous = null;
            try
            {
                CheckKeyId(fields, "keyId", key);
                var hasPrevious = fields.ContainsKey("previousKey");
                if (hasPrevious != fields.ContainsKey("previousKeyId") || hasPrevious != fields.ContainsKey("previousValidUntil"))
                    throw Damaged("previousKey, previousKeyId and previousValidUntil go together: all three or none");
                if (hasPrevious)
                {
                    previous = GetKey(fields, "previousKey");
                    CheckKeyId(fields, "previousKeyId", previous);
                }

                return new MissionKey(
                    key,
                    GetString(fields, "mission"),
                    GetString(fields, "team"),
                    GetInt(fields, "maxHops"),
                    GetTime(fields, "expires"),
                    previous,
                    hasPrevious ? GetTime(fields, "previousValidUntil") : null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
                if (previous is not null) CryptographicOperations.ZeroMemory(previous);
            }
        }
    }

    private static string FormatTime(DateTime utc) => utc.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static JsonElement GetField(Dictionary<string, JsonElement> fields, string name, JsonValueKind kind) =>
        !fields.TryGetValue(name, out var value)
            ? throw Damaged($"the field '{name}' is missing")
            : value.ValueKind != kind
                ? throw Damaged($"the field '{name}' should be a {(kind == JsonValueKind.Number ? "number" : "string")}")
                : value;

    private static string GetString(Dictionary<string, JsonElement> fields, string name) =>
        GetField(fields, name, JsonValueKind.String).GetString()!;

    private static int GetInt(Dictionary<string, JsonElement> fields, string name) =>
        GetField(fields, name, JsonValueKind.Number).TryGetInt32(out var value)
            ? value
            : throw Damaged($"the field '{name}' should be a whole number");

    private static DateTime GetTime(Dictionary<string, JsonElement> fields, string name) =>
        DateTime.TryParseExact(GetString(fields, name), TimeReadFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Damaged($"the field '{name}' should be a UTC time like 2027-01-01T00:00:00.000Z");

    private static byte[] GetKey(Dictionary<string, JsonElement> fields, string name)
    {
        var value = GetField(fields, name, JsonValueKind.String);
        if (!value.TryGetBytesFromBase64(out var key) || key.Length != MissionKey.KeyLength)
            throw Damaged($"the field '{name}' should be {MissionKey.KeyLength} bytes in base64");
        return key;
    }

    private static void CheckKeyId(Dictionary<string, JsonElement> fields, string name, byte[] key)
    {
        var stored = GetString(fields, name);
        var derived = MissionKey.FormatKeyId(MissionKey.ComputeKeyId(key));
        if (!string.Equals(stored, derived, StringComparison.Ordinal))
            throw Damaged($"its {name} '{stored}' does not belong to its key (that would be '{derived}'), so the file was edited or damaged");
    }

    private static MissionKeyException Damaged(string what) =>
        new($"the key file is damaged: {what}; restore it from a backup or import the mission code again");
}
