using System.Globalization;
using System.Text.Json;
using TakCan.Protocols.Cot;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// Reading TAK Server's JSON answers: the <c>ApiResponse</c> envelope (<c>{version, type, data, nodeId}</c>) and the
/// lenient field rules every parser here shares. Required fields are checked strictly; an optional field of the wrong
/// type is treated as absent, since servers differ (OpenTAKServer, FreeTAKServer) and a client loses nothing by it.
/// </summary>
internal static class MartiJson
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, MartiLimits limits, string what)
    {
        if (utf8.Length > limits.MaxJsonBytes)
            throw new MartiException($"the {what} is {utf8.Length} bytes, more than the {limits.MaxJsonBytes} TAK Can reads");
        // JsonDocument checks the UTF-8 of string values only when they are read; check it all once, here.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
            throw new MartiException($"the {what} is not valid UTF-8 JSON");
        try
        {
            // Comments and trailing commas are refused; MaxDepth stops nesting bombs.
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            throw new MartiException($"the {what} is not JSON; is this a TAK Server's API (port 8443)? ({e.Message})", e);
        }
    }

    /// <summary>The <c>data</c> member of TAK Server's envelope; a bare value (as some other servers send) is taken as is.</summary>
    public static JsonElement Data(JsonElement root, string what)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data)) return data;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages))
            throw new MartiException($"the {what} carries no data; the server says: {Shorten(messages.ToString())}");
        return root;
    }

    public static JsonElement.ArrayEnumerator Array(JsonElement element, string what, int max, string items)
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw new MartiException($"the {what} is not a list of {items}");
        var count = element.GetArrayLength();
        if (count > max)
            throw new MartiException($"the {what} lists {count} {items}, more than the {max} TAK Can reads");
        return element.EnumerateArray();
    }

    public static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Text(value) : null;

    /// <summary>A JSON string's text; an escape that is not valid UTF-16 (a lone surrogate) is refused.</summary>
    public static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new MartiException($"the server's answer holds a string that is not valid text ({e.Message})", e);
        }
    }

    public static bool Bool(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.True ||
                                                     (value.ValueKind == JsonValueKind.String && bool.TryParse(Text(value), out var parsed) && parsed));

    public static long? Long(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        if (value.ValueKind == JsonValueKind.String &&
            long.TryParse(Text(value), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        return null;
    }

    /// <summary>TAK Server writes <c>yyyy-MM-dd'T'HH:mm:ss.SSS'Z'</c>; any ISO 8601 time is read, as UTC.</summary>
    public static DateTime? Time(JsonElement obj, string name)
    {
        var text = String(obj, name);
        if (text is null) return null;
        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? DateTime.SpecifyKind(time, DateTimeKind.Utc)
            : null;
    }

    /// <summary>The strings of an array member; other items are skipped, a missing member is empty.</summary>
    public static EquatableArray<string> Strings(JsonElement obj, string name, int max, string what)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array) return EquatableArray<string>.Empty;
        var items = new List<string>();
        foreach (var item in Array(value, what, max, name))
            if (item.ValueKind == JsonValueKind.String)
                items.Add(Text(item));
        return new EquatableArray<string>(items);
    }

    public static string Shorten(string text) => MartiContentHash.Shorten(text);
}
