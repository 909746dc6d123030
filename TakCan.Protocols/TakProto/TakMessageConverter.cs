using System.Buffers;
using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using Wire = TakCan.Protocols.TakProto.Wire;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// Maps <see cref="CotEvent"/> to and from TAK Protocol v1 <see cref="Wire.TakMessage"/>, following the xmlDetail
/// rules of ATAK-CIV takproto/detail.proto: a detail element goes into its typed field only when it occurs once
/// and converts completely; everything else travels as XML. On receipt the XML wins over a typed field for the
/// same element.
/// </summary>
public static class TakMessageConverter
{
    public static Wire.TakMessage ToTakMessage(CotEvent evt, Wire.TakControl? control = null)
    {
        var proto = new Wire.CotEvent
        {
            Type = evt.Type,
            Uid = evt.Uid,
            How = evt.How,
            SendTime = ToMillis(evt.Time),
            StartTime = ToMillis(evt.Start),
            StaleTime = ToMillis(evt.Stale),
            Lat = evt.Point.Lat,
            Lon = evt.Point.Lon,
            Hae = evt.Point.Hae,
            Ce = evt.Point.Ce,
            Le = evt.Point.Le,
        };
        if (evt.Access is not null) proto.Access = evt.Access;
        if (evt.Qos is not null) proto.Qos = evt.Qos;
        if (evt.Opex is not null) proto.Opex = evt.Opex;
        if (!evt.Detail.IsEmpty) proto.Detail = ToDetail(evt.Detail);
        return new Wire.TakMessage { CotEvent = proto, TakControl = control };
    }

    /// <exception cref="CotFormatException">The message has no event, or the event is incomplete or invalid.</exception>
    public static CotEvent ToCotEvent(Wire.TakMessage message, CotXmlLimits? limits = null)
    {
        var proto = message.CotEvent ?? throw new CotFormatException("TakMessage carries no CotEvent (control only)");
        if (string.IsNullOrEmpty(proto.Uid)) throw new CotFormatException("CotEvent has no uid");
        if (string.IsNullOrEmpty(proto.Type)) throw new CotFormatException("CotEvent has no type");
        if (proto.Lat is < -90 or > 90 || double.IsNaN(proto.Lat))
            throw new CotFormatException($"CotEvent lat {proto.Lat} is outside -90..90");
        if (proto.Lon is < -180 or > 180 || double.IsNaN(proto.Lon))
            throw new CotFormatException($"CotEvent lon {proto.Lon} is outside -180..180");
        return new CotEvent
        {
            Uid = proto.Uid,
            Type = proto.Type,
            How = proto.How,
            Time = FromMillis(proto.SendTime, "sendTime"),
            Start = FromMillis(proto.StartTime, "startTime"),
            Stale = FromMillis(proto.StaleTime, "staleTime"),
            Access = NullIfEmpty(proto.Access),
            Qos = NullIfEmpty(proto.Qos),
            Opex = NullIfEmpty(proto.Opex),
            Point = new CotPoint(proto.Lat, proto.Lon, proto.Hae, proto.Ce, proto.Le),
            Detail = proto.Detail is null ? CotDetail.Empty : FromDetail(proto.Detail, limits ?? CotXmlLimits.Default),
        };
    }

    /// <summary>Encodes as a mesh (UDP) datagram: <c>0xBF 1 0xBF &lt;TakMessage&gt;</c>.</summary>
    public static byte[] EncodeMesh(CotEvent evt) => TakMessageCodec.EncodeMesh(ToTakMessage(evt));

    /// <summary>Encodes as one streaming (TCP) frame: <c>0xBF &lt;length&gt; &lt;TakMessage&gt;</c>.</summary>
    public static byte[] EncodeStream(CotEvent evt) => TakMessageCodec.EncodeStream(ToTakMessage(evt));

    /// <summary>Decodes a mesh (UDP) datagram's event, straight from its bytes (<see cref="TakMessageReader"/>).</summary>
    /// <exception cref="CotFormatException">A bad header, an invalid TakMessage, or no or an invalid event.</exception>
    public static CotEvent DecodeMesh(ReadOnlySpan<byte> datagram, CotXmlLimits? limits = null)
    {
        var header = TakProtocolFraming.ReadMeshHeader(datagram, out _);
        return TakMessageReader.Read(datagram[header..], limits ?? CotXmlLimits.Default, header);
    }

    /// <summary>
    /// Decodes one TakMessage's event straight from its bytes (<see cref="TakMessageReader"/>): the same event as
    /// <see cref="ToCotEvent"/> of <see cref="TakMessageCodec.Parse(ReadOnlySpan{byte})"/>, without the wire objects.
    /// </summary>
    /// <exception cref="CotFormatException">An invalid TakMessage, or no or an invalid event.</exception>
    public static CotEvent Decode(ReadOnlySpan<byte> takMessage, CotXmlLimits? limits = null) =>
        TakMessageReader.Read(takMessage, limits ?? CotXmlLimits.Default);

    private static Wire.Detail ToDetail(CotDetail detail)
    {
        var result = new Wire.Detail();
        var elements = detail.Elements;
        var moved = new bool[elements.Count];
        for (var i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            if (!IsSingle(elements, element.Name, i) || !element.OtherAttributes.IsEmpty || !element.OtherChildren.IsEmpty)
                continue;
            moved[i] = element switch
            {
                Contact { Callsign.Length: > 0, Phone: null } c when c.Endpoint is null or { Length: > 0 } =>
                    Set(() => result.Contact = new Wire.Contact { Callsign = c.Callsign, Endpoint = c.Endpoint ?? "" }),
                Group { Team.Length: > 0, Role.Length: > 0 } g =>
                    Set(() => result.Group = new Wire.Group { Name = g.Team, Role = g.Role }),
                PrecisionLocation { GeopointSource.Length: > 0, AltitudeSource.Length: > 0 } p =>
                    Set(() => result.PrecisionLocation = new Wire.PrecisionLocation { Geopointsrc = p.GeopointSource, Altsrc = p.AltitudeSource }),
                Status { Battery: >= 0 } s =>
                    Set(() => result.Status = new Wire.Status { Battery = (uint)s.Battery!.Value }),
                Takv { Device.Length: > 0, Platform.Length: > 0, Os.Length: > 0, Version.Length: > 0 } t =>
                    Set(() => result.Takv = new Wire.Takv { Device = t.Device, Platform = t.Platform, Os = t.Os, Version = t.Version }),
                Track { Speed: not null, Course: not null } t =>
                    Set(() => result.Track = new Wire.Track { Speed = t.Speed.Value, Course = t.Course.Value }),
                _ => false,
            };
        }

        var rest = new List<DetailElement>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
            if (!moved[i])
                rest.Add(elements[i]);
        if (rest.Count > 0) result.XmlDetail = CotXmlWriter.DetailChildrenToXml(rest);
        return result;

        static bool Set(Action assign)
        {
            assign();
            return true;
        }
    }

    // takproto/detail.proto, sender rule 1: an element that appears more than once stays in xmlDetail.
    private static bool IsSingle(EquatableArray<DetailElement> elements, string name, int index)
    {
        for (var j = 0; j < elements.Count; j++)
            if (j != index && elements[j].Name == name)
                return false;
        return true;
    }

    private static CotDetail FromDetail(Wire.Detail proto, CotXmlLimits limits)
    {
        var fromXml = string.IsNullOrEmpty(proto.XmlDetail) ? CotDetail.Empty : ReadXmlDetail(proto.XmlDetail, limits);
        var typed = new List<DetailElement>(6);
        // Receiver rule 5: where xmlDetail already carries the element, the XML wins and the typed field is ignored.
        if (proto.Contact is { } c && !Has(fromXml, Contact.ElementName))
            typed.Add(new Contact { Callsign = c.Callsign, Endpoint = NullIfEmpty(c.Endpoint) });
        if (proto.Group is { } g && !Has(fromXml, Group.ElementName))
            typed.Add(new Group { Team = g.Name, Role = g.Role });
        if (proto.PrecisionLocation is { } p && !Has(fromXml, PrecisionLocation.ElementName))
            typed.Add(new PrecisionLocation { GeopointSource = p.Geopointsrc, AltitudeSource = p.Altsrc });
        if (proto.Status is { } s && !Has(fromXml, Status.ElementName))
        {
            if (s.Battery > int.MaxValue) throw new CotFormatException($"status battery {s.Battery} is out of range");
            typed.Add(new Status { Battery = (int)s.Battery });
        }

        if (proto.Takv is { } t && !Has(fromXml, Takv.ElementName))
            typed.Add(new Takv { Device = t.Device, Platform = t.Platform, Os = t.Os, Version = t.Version });
        if (proto.Track is { } k && !Has(fromXml, Track.ElementName))
            typed.Add(new Track { Course = k.Course, Speed = k.Speed });
        if (typed.Count == 0) return fromXml;
        typed.AddRange(fromXml.Elements);
        return new CotDetail(typed);
    }

    private static CotDetail ReadXmlDetail(string xml, CotXmlLimits limits)
    {
        var max = Encoding.UTF8.GetMaxByteCount(xml.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(xml, rented);
            return CotXmlReader.ReadDetailFragment(rented.AsSpan(0, length), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool Has(CotDetail detail, string name)
    {
        foreach (var element in detail.Elements)
            if (element.Name == name)
                return true;
        return false;
    }

    private static ulong ToMillis(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        var ms = (utc - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;
        return ms < 0 ? 0 : (ulong)ms;
    }

    private static readonly ulong MaxMillis = (ulong)((DateTime.MaxValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond);

    internal static DateTime FromMillis(ulong ms, string field) =>
        ms <= MaxMillis
            ? DateTime.UnixEpoch.AddTicks((long)ms * TimeSpan.TicksPerMillisecond)
            : throw new CotFormatException($"CotEvent {field} {ms} ms is beyond year 9999");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
