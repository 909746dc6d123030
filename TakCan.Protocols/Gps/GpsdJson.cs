using System.Globalization;
using System.Text.Json;

namespace TakCan.Protocols.Gps;

/// <summary>
/// The parts of the gpsd JSON protocol (gpsd_json(5)) a client needs: the WATCH request and TPV
/// (time-position-velocity) reports.
/// </summary>
public static class GpsdJson
{
    public const string DefaultHost = "127.0.0.1";

    public const int DefaultPort = 2947;

    /// <summary>Starts the stream of JSON reports for every device gpsd knows.</summary>
    public static ReadOnlyMemory<byte> WatchCommand { get; } = "?WATCH={\"enable\":true,\"json\":true}\n"u8.ToArray();

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>
    /// Reads one report line. True for a TPV with a 2D or 3D fix (mode 2 or 3); everything else (VERSION,
    /// DEVICES, SKY, TPV without a fix, malformed JSON) is false.
    /// </summary>
    /// <param name="receivedAt">The fix time when the report has none (gpsd omits it when the receiver gives none).</param>
    public static bool TryReadFix(ReadOnlySpan<byte> line, DateTime receivedAt, out LocationFix fix)
    {
        fix = null!;
        // Cheap check first: most lines are SKY and other reports that are not wanted here.
        if (line.IndexOf("\"TPV\""u8) < 0) return false;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray(), Options);
            var tpv = doc.RootElement;
            if (tpv.ValueKind != JsonValueKind.Object || String(tpv, "class") != "TPV") return false;
            if (Number(tpv, "mode") is not (>= 2) || Number(tpv, "lat") is not { } lat || Number(tpv, "lon") is not { } lon)
                return false;
            if (!LocationFix.IsValidPosition(lat, lon)) return false;
            var time = String(tpv, "time") is { } text &&
                       DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                           DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed.UtcDateTime
                : receivedAt;
            // A 2D fix has no usable altitude. altHAE is gpsd ≥ 3.20; older gpsd sent only alt.
            var hae = Number(tpv, "mode") >= 3 ? Number(tpv, "altHAE") ?? Number(tpv, "alt") : null;
            // epx/epy are gpsd's 95 % longitude/latitude errors; the larger one is a conservative circular error.
            var ce = (Number(tpv, "epx"), Number(tpv, "epy")) switch
            {
                ({ } x, { } y) => Math.Max(x, y),
                ({ } x, null) => x,
                (null, { } y) => y,
                _ => Number(tpv, "eph"),
            };
            var course = Number(tpv, "track") is { } t and >= 0 and <= 360 ? t : (double?)null;
            var speed = Number(tpv, "speed") is { } s and >= 0 ? s : (double?)null;
            fix = new LocationFix(time, lat, lon, hae, course, speed, ce, LocationFix.Gps);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static double? Number(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) &&
        double.IsFinite(d)
            ? d
            : null;

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
