using System.Globalization;
using System.Xml;

namespace TakCan.Protocols.Gps;

/// <summary>
/// Reads the timed points of a GPX file (GPX 1.1, and 1.0 which it extends): every <c>trkpt</c> and <c>wpt</c>
/// with a <c>time</c>, in time order, with course and speed filled in from consecutive points where the file
/// has none. Course and speed are taken where a file does record them: GPX 1.0 <c>course</c>/<c>speed</c> or an
/// extension element of the same name (Garmin TrackPointExtension v2).
/// </summary>
/// <remarks>
/// A GPX file comes from anywhere (downloaded, shared in a data package), so the XML reader refuses DTDs and
/// external resources (XXE, entity expansion) and bounds the document size.
/// </remarks>
public static class GpxReader
{
    // Longest number or time worth parsing; longer text in a field is treated as absent.
    private const int MaxFieldLength = 64;

    /// <exception cref="GpsFormatException">The file is too large, not well-formed GPX, or declares a DTD.</exception>
    public static FixLog Read(string path, GpsLogLimits? limits = null)
    {
        limits ??= GpsLogLimits.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024);
        if (stream.Length > limits.MaxBytes)
            throw new GpsFormatException($"GPX file {path} is {stream.Length} bytes, more than the {limits.MaxBytes} allowed");
        return Read(stream, limits);
    }

    /// <exception cref="GpsFormatException">The document is too large, not well-formed GPX, or declares a DTD.</exception>
    public static FixLog Read(Stream gpx, GpsLogLimits? limits = null)
    {
        limits ??= GpsLogLimits.Default;
        using var reader = XmlReader.Create(gpx, Settings(limits));
        return Read(reader, limits);
    }

    /// <exception cref="GpsFormatException">The document is too large, not well-formed GPX, or declares a DTD.</exception>
    public static FixLog ReadText(string gpx, GpsLogLimits? limits = null)
    {
        limits ??= GpsLogLimits.Default;
        using var reader = XmlReader.Create(new StringReader(gpx), Settings(limits));
        return Read(reader, limits);
    }

    private static XmlReaderSettings Settings(GpsLogLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    private static FixLog Read(XmlReader reader, GpsLogLimits limits)
    {
        var fixes = new List<LocationFix>();
        var rejected = 0;
        try
        {
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "gpx")
                throw new GpsFormatException($"not a GPX document: the root element is <{reader.LocalName}>, not <gpx>");
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName is not ("trkpt" or "wpt")) continue;
                var fix = ReadPoint(reader);
                if (fix is null)
                {
                    rejected++;
                    continue;
                }

                if (fixes.Count == limits.MaxFixes)
                    throw new GpsFormatException($"GPX file has more than {limits.MaxFixes} timed points");
                fixes.Add(fix);
            }
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new GpsFormatException($"GPX file declares a DTD, which is refused for safety (line {e.LineNumber})", e);
        }
        catch (XmlException e) when (e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal))
        {
            throw new GpsFormatException($"GPX document is longer than the {limits.MaxBytes} characters allowed", e);
        }
        catch (XmlException e)
        {
            throw new GpsFormatException($"GPX file is not well-formed XML: {e.Message}", e);
        }

        var ordered = fixes.OrderBy(static f => f.Time).ToArray();
        return new FixLog(FixKinematics.FillCourseAndSpeed(ordered), rejected);
    }

    // Positioned on <trkpt> or <wpt>; reads the whole point and leaves the reader on its end.
    private static LocationFix? ReadPoint(XmlReader reader)
    {
        var lat = Number(reader.GetAttribute("lat"));
        var lon = Number(reader.GetAttribute("lon"));
        DateTime? time = null;
        double? ele = null, geoid = null, course = null, speed = null;
        using (var point = reader.ReadSubtree())
        {
            point.Read();
            while (point.Read())
            {
                if (point.NodeType != XmlNodeType.Element) continue;
                switch (point.LocalName)
                {
                    case "time":
                        time = Time(Text(point));
                        break;
                    case "ele":
                        ele = Number(Text(point));
                        break;
                    case "geoidheight":
                        geoid = Number(Text(point));
                        break;
                    case "course":
                        course = Number(Text(point));
                        break;
                    case "speed":
                        speed = Number(Text(point));
                        break;
                }
            }
        }

        if (lat is not { } la || lon is not { } lo || !LocationFix.IsValidPosition(la, lo) || time is not { } t) return null;
        // GPX ele is height above mean sea level; geoidheight, where given, is the geoid above the ellipsoid.
        var hae = ele is { } e ? e + (geoid ?? 0) : (double?)null;
        if (course is { } c && !(c is >= 0 and <= 360)) course = null;
        if (speed is { } s && !(s >= 0 && double.IsFinite(s))) speed = null;
        return new LocationFix(t, la, lo, hae, course, speed, null, LocationFix.Gps);
    }

    // The text of a simple element, leaving the reader on its end tag (or on it, when empty) so that the caller's
    // Read() moves on to the next node. Nested elements, which a valid GPX never has here, are skipped.
    private static string Text(XmlReader reader)
    {
        if (reader.IsEmptyElement) return "";
        var depth = reader.Depth;
        var text = new System.Text.StringBuilder();
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if ((reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace) && reader.Depth == depth + 1)
            {
                if (text.Length + reader.Value.Length > MaxFieldLength) return "";
                text.Append(reader.Value);
            }
        }

        return text.ToString();
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;

    private static DateTime? Time(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value.UtcDateTime
            : null;
}
