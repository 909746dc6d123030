using System.Collections.Immutable;
using System.Text.Json;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// Reads one event object (specs/cot-json.md). Property order is free, unknown properties are skipped, a known property
/// twice is an error (two readers must not see two different events in the same text).
/// </summary>
internal static class CotJsonEventReader
{
    private enum EventProperty
    {
        Version,
        Uid,
        Type,
        How,
        Time,
        Start,
        Stale,
        Access,
        Qos,
        Opex,
        Point,
        Detail,
    }

    private enum PointProperty
    {
        Lat,
        Lon,
        Hae,
        Ce,
        Le,
    }

    // In enum order.
    private static readonly JsonEncodedText[] EventNames =
    [
        CotJsonNames.Version, CotJsonNames.Uid, CotJsonNames.Type, CotJsonNames.How, CotJsonNames.Time, CotJsonNames.Start,
        CotJsonNames.Stale, CotJsonNames.Access, CotJsonNames.Qos, CotJsonNames.Opex, CotJsonNames.Point, CotJsonNames.Detail,
    ];

    private static readonly JsonEncodedText[] PointNames =
        [CotJsonNames.Lat, CotJsonNames.Lon, CotJsonNames.Hae, CotJsonNames.Ce, CotJsonNames.Le];

    /// <summary>A whole input holding exactly one event.</summary>
    public static CotEvent ReadDocument(ReadOnlySpan<byte> utf8, CotJsonLimits limits, CotJsonSource source)
    {
        if (utf8.Length > limits.MaxEventBytes)
            throw source.Fail($"event is {utf8.Length} bytes, above the limit of {limits.MaxEventBytes} bytes");
        // Not part of the format, but editors add one.
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
            source = source with { Offset = source.Offset + 3 };
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw source.Fail("the input is not valid UTF-8");

        var parser = new CotJsonParser(new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxDepth }), limits, source);
        try
        {
            parser.ReadFirst();
            var evt = ReadEvent(ref parser);
            parser.ReadEnd();
            return evt;
        }
        catch (JsonException e)
        {
            throw parser.InvalidJson(e);
        }
        catch (InvalidOperationException e)
        {
            throw parser.InvalidString(e);
        }
    }

    /// <summary>An event inside a larger document, the reader on its first token; leaves the reader on its last.</summary>
    public static CotEvent ReadEmbedded(ref CotJsonParser parser)
    {
        try
        {
            return ReadEvent(ref parser);
        }
        catch (JsonException e)
        {
            throw parser.InvalidJson(e);
        }
        catch (InvalidOperationException e)
        {
            throw parser.InvalidString(e);
        }
    }

    private static CotEvent ReadEvent(ref CotJsonParser parser)
    {
        if (parser.TokenType != JsonTokenType.StartObject) throw parser.WrongType("an event object");
        string? version = null, uid = null, type = null, how = null, access = null, qos = null, opex = null;
        DateTime? time = null, start = null, stale = null;
        CotPoint? point = null;
        CotDetail? detail = null;
        var seen = 0;
        while (parser.NextProperty())
        {
            var property = Match(ref parser, EventNames);
            if (property < 0)
            {
                parser.SkipValue();
                continue;
            }

            if ((seen & (1 << property)) != 0) throw parser.Duplicate(EventNames[property]);
            seen |= 1 << property;
            parser.Push(EventNames[property]);
            switch ((EventProperty)property)
            {
                case EventProperty.Version: version = parser.ReadString(); break;
                case EventProperty.Uid: uid = parser.ReadString(); break;
                case EventProperty.Type: type = parser.ReadString(); break;
                case EventProperty.How: how = parser.ReadString(); break;
                case EventProperty.Time: time = parser.ReadTime(); break;
                case EventProperty.Start: start = parser.ReadTime(); break;
                case EventProperty.Stale: stale = parser.ReadTime(); break;
                case EventProperty.Access: access = parser.ReadString(); break;
                case EventProperty.Qos: qos = parser.ReadString(); break;
                case EventProperty.Opex: opex = parser.ReadString(); break;
                case EventProperty.Point: point = ReadPoint(ref parser); break;
                case EventProperty.Detail: detail = ReadDetail(ref parser); break;
            }

            parser.Pop();
        }

        // The XML reader's rules (an event needs uid, type, the three times and a point), so both forms accept the same events.
        if (string.IsNullOrEmpty(uid)) throw uid is null ? parser.Missing(CotJsonNames.Uid) : parser.FailAt("uid", "must not be empty");
        if (string.IsNullOrEmpty(type)) throw type is null ? parser.Missing(CotJsonNames.Type) : parser.FailAt("type", "must not be empty");
        if (time is null) throw parser.Missing(CotJsonNames.Time);
        if (start is null) throw parser.Missing(CotJsonNames.Start);
        if (stale is null) throw parser.Missing(CotJsonNames.Stale);
        if (point is null) throw parser.Missing(CotJsonNames.Point);
        return new CotEvent
        {
            Version = version ?? "2.0",
            Uid = uid,
            Type = type,
            How = how ?? "",
            Time = time.Value,
            Start = start.Value,
            Stale = stale.Value,
            Access = access,
            Qos = qos,
            Opex = opex,
            Point = point.Value,
            Detail = detail ?? CotDetail.Empty,
        };
    }

    private static CotPoint ReadPoint(ref CotJsonParser parser)
    {
        parser.ReadObjectStart();
        double? lat = null, lon = null, hae = null, ce = null, le = null;
        var seen = 0;
        while (parser.NextProperty())
        {
            var property = Match(ref parser, PointNames);
            if (property < 0)
            {
                parser.SkipValue();
                continue;
            }

            if ((seen & (1 << property)) != 0) throw parser.Duplicate(PointNames[property]);
            seen |= 1 << property;
            parser.Push(PointNames[property]);
            var value = parser.ReadDouble();
            switch ((PointProperty)property)
            {
                case PointProperty.Lat: lat = value; break;
                case PointProperty.Lon: lon = value; break;
                case PointProperty.Hae: hae = value; break;
                case PointProperty.Ce: ce = value; break;
                case PointProperty.Le: le = value; break;
            }

            parser.Pop();
        }

        if (lat is null) throw parser.Missing(CotJsonNames.Lat);
        if (lon is null) throw parser.Missing(CotJsonNames.Lon);
        if (lat is not (>= -90 and <= 90)) throw parser.FailAt("lat", $"{CotNumber.Format(lat.Value)} is outside -90..90");
        if (lon is not (>= -180 and <= 180)) throw parser.FailAt("lon", $"{CotNumber.Format(lon.Value)} is outside -180..180");
        return new CotPoint(lat.Value, lon.Value, hae ?? CotPoint.Unknown, ce ?? CotPoint.Unknown, le ?? CotPoint.Unknown);
    }

    private static CotDetail ReadDetail(ref CotJsonParser parser)
    {
        if (!parser.ReadArrayStartOrNull()) return CotDetail.Empty;
        var elements = ImmutableArray.CreateBuilder<DetailElement>();
        while (parser.NextItem())
        {
            parser.Push(elements.Count);
            elements.Add(DetailSchemas.ReadItem(ref parser));
            parser.Pop();
        }

        return elements.Count == 0 ? CotDetail.Empty : new CotDetail { Elements = elements.ToImmutable() };
    }

    private static int Match(ref CotJsonParser parser, JsonEncodedText[] names)
    {
        for (var i = 0; i < names.Length; i++)
            if (parser.IsProperty(names[i]))
                return i;
        return -1;
    }
}
