using System.Runtime.InteropServices;
using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using static TakCan.Protocols.TakProto.ProtoWireReader;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// Decodes TakMessage bytes straight into a <see cref="CotEvent"/>, the path every received self SA takes: no
/// generated wire objects, repeating short strings from <see cref="CotNameCache"/>, and xmlDetail read from its
/// UTF-8 bytes into the same element array as the typed detail fields. The result is the event
/// <see cref="TakMessageConverter.ToCotEvent"/> makes of <see cref="TakMessageCodec.Parse(ReadOnlySpan{byte})"/>'s
/// message (specs/tak-protocol.md, "Receiving"); TakMessageReaderTests hold the two paths to that.
/// </summary>
/// <remarks>
/// Protobuf semantics as Google.Protobuf applies them: the last value of a scalar field wins, an embedded message
/// that occurs more than once is merged, unknown fields and known fields with another wire type are skipped.
/// Stricter than Google.Protobuf 3.36 on two points: groups (proto2 only) are refused, not skipped, and so are wire
/// types 6 and 7, which it takes for fields without a value.
/// </remarks>
internal static class TakMessageReader
{
    /// <param name="takMessage">One TakMessage, without TAK Protocol header.</param>
    /// <param name="limits">Bounds for the xmlDetail XML.</param>
    /// <param name="origin">Offset of <paramref name="takMessage"/> in the datagram, for error messages.</param>
    /// <exception cref="CotFormatException">Not a valid TakMessage, no event, or an incomplete or invalid event.</exception>
    public static CotEvent Read(ReadOnlySpan<byte> takMessage, CotXmlLimits limits, long origin = 0)
    {
        var wire = new ProtoWireReader(takMessage, origin, "TakMessage");
        var fields = new EventFields();
        var hasEvent = false;
        while (wire.NextTag(out var tag))
        {
            if (tag == Tag(2, LengthDelimited))
            {
                hasEvent = true;
                ReadCotEvent(wire.ReadMessage("CotEvent"), ref fields);
            }
            else if (tag == Tag(1, LengthDelimited))
            {
                CheckTakControl(wire.ReadMessage("TakControl"));
            }
            else
            {
                wire.Skip(tag);
            }
        }

        if (!hasEvent) throw new CotFormatException("TakMessage carries no CotEvent (control only)");
        return ToCotEvent(ref fields, limits);
    }

    /// <summary>
    /// The CotEvent fields as they arrive: string values stay UTF-8 slices of the input (checked when read) until the
    /// event is built, so a value that a later occurrence replaces is never turned into a string.
    /// </summary>
    private ref struct EventFields
    {
        public ReadOnlySpan<byte> Type, Access, Qos, Opex, Uid, How;
        public ulong SendTime, StartTime, StaleTime;
        public double Lat, Lon, Hae, Ce, Le;

        public bool HasDetail;
        public ReadOnlySpan<byte> XmlDetail;
        public bool HasContact;
        public ReadOnlySpan<byte> Endpoint, Callsign;
        public bool HasGroup;
        public ReadOnlySpan<byte> GroupName, GroupRole;
        public bool HasPrecisionLocation;
        public ReadOnlySpan<byte> GeopointSource, AltitudeSource;
        public bool HasStatus;
        public uint Battery;
        public bool HasTakv;
        public ReadOnlySpan<byte> Device, Platform, Os, Version;
        public bool HasTrack;
        public double Speed, Course;
    }

    private static void ReadCotEvent(ProtoWireReader wire, ref EventFields e)
    {
        while (wire.NextTag(out var tag))
        {
            switch (tag)
            {
                case 1 << 3 | LengthDelimited: e.Type = wire.ReadUtf8("type"); break;
                case 2 << 3 | LengthDelimited: e.Access = wire.ReadUtf8("access"); break;
                case 3 << 3 | LengthDelimited: e.Qos = wire.ReadUtf8("qos"); break;
                case 4 << 3 | LengthDelimited: e.Opex = wire.ReadUtf8("opex"); break;
                case 5 << 3 | LengthDelimited: e.Uid = wire.ReadUtf8("uid"); break;
                case 6 << 3 | Varint: e.SendTime = wire.ReadVarint(); break;
                case 7 << 3 | Varint: e.StartTime = wire.ReadVarint(); break;
                case 8 << 3 | Varint: e.StaleTime = wire.ReadVarint(); break;
                case 9 << 3 | LengthDelimited: e.How = wire.ReadUtf8("how"); break;
                case 10 << 3 | Fixed64: e.Lat = wire.ReadDouble(); break;
                case 11 << 3 | Fixed64: e.Lon = wire.ReadDouble(); break;
                case 12 << 3 | Fixed64: e.Hae = wire.ReadDouble(); break;
                case 13 << 3 | Fixed64: e.Ce = wire.ReadDouble(); break;
                case 14 << 3 | Fixed64: e.Le = wire.ReadDouble(); break;
                case 15 << 3 | LengthDelimited:
                    e.HasDetail = true;
                    ReadDetail(wire.ReadMessage("Detail"), ref e);
                    break;
                default: wire.Skip(tag); break;
            }
        }
    }

    private static void ReadDetail(ProtoWireReader wire, ref EventFields e)
    {
        while (wire.NextTag(out var tag))
        {
            switch (tag)
            {
                case 1 << 3 | LengthDelimited:
                    e.XmlDetail = wire.ReadUtf8("xmlDetail");
                    break;
                case 2 << 3 | LengthDelimited:
                    e.HasContact = true;
                    var contact = wire.ReadMessage("Contact");
                    while (contact.NextTag(out tag))
                    {
                        if (tag == Tag(1, LengthDelimited)) e.Endpoint = contact.ReadUtf8("endpoint");
                        else if (tag == Tag(2, LengthDelimited)) e.Callsign = contact.ReadUtf8("callsign");
                        else contact.Skip(tag);
                    }

                    break;
                case 3 << 3 | LengthDelimited:
                    e.HasGroup = true;
                    var group = wire.ReadMessage("Group");
                    while (group.NextTag(out tag))
                    {
                        if (tag == Tag(1, LengthDelimited)) e.GroupName = group.ReadUtf8("name");
                        else if (tag == Tag(2, LengthDelimited)) e.GroupRole = group.ReadUtf8("role");
                        else group.Skip(tag);
                    }

                    break;
                case 4 << 3 | LengthDelimited:
                    e.HasPrecisionLocation = true;
                    var location = wire.ReadMessage("PrecisionLocation");
                    while (location.NextTag(out tag))
                    {
                        if (tag == Tag(1, LengthDelimited)) e.GeopointSource = location.ReadUtf8("geopointsrc");
                        else if (tag == Tag(2, LengthDelimited)) e.AltitudeSource = location.ReadUtf8("altsrc");
                        else location.Skip(tag);
                    }

                    break;
                case 5 << 3 | LengthDelimited:
                    e.HasStatus = true;
                    var status = wire.ReadMessage("Status");
                    while (status.NextTag(out tag))
                    {
                        // uint32: a longer varint loses its high bits, as in Google.Protobuf.
                        if (tag == Tag(1, Varint)) e.Battery = (uint)status.ReadVarint();
                        else status.Skip(tag);
                    }

                    break;
                case 6 << 3 | LengthDelimited:
                    e.HasTakv = true;
                    var takv = wire.ReadMessage("Takv");
                    while (takv.NextTag(out tag))
                    {
                        switch (tag)
                        {
                            case 1 << 3 | LengthDelimited: e.Device = takv.ReadUtf8("device"); break;
                            case 2 << 3 | LengthDelimited: e.Platform = takv.ReadUtf8("platform"); break;
                            case 3 << 3 | LengthDelimited: e.Os = takv.ReadUtf8("os"); break;
                            case 4 << 3 | LengthDelimited: e.Version = takv.ReadUtf8("version"); break;
                            default: takv.Skip(tag); break;
                        }
                    }

                    break;
                case 7 << 3 | LengthDelimited:
                    e.HasTrack = true;
                    var track = wire.ReadMessage("Track");
                    while (track.NextTag(out tag))
                    {
                        if (tag == Tag(1, Fixed64)) e.Speed = track.ReadDouble();
                        else if (tag == Tag(2, Fixed64)) e.Course = track.ReadDouble();
                        else track.Skip(tag);
                    }

                    break;
                default:
                    wire.Skip(tag);
                    break;
            }
        }
    }

    /// <summary>TakControl is not part of the event, but a message the reference parser refuses must be refused here too.</summary>
    private static void CheckTakControl(ProtoWireReader wire)
    {
        while (wire.NextTag(out var tag))
        {
            if (tag == Tag(3, LengthDelimited)) wire.ReadUtf8("contactUid");
            else wire.Skip(tag);
        }
    }

    private static CotEvent ToCotEvent(ref EventFields e, CotXmlLimits limits)
    {
        if (e.Uid.IsEmpty) throw new CotFormatException("CotEvent has no uid");
        if (e.Type.IsEmpty) throw new CotFormatException("CotEvent has no type");
        if (e.Lat is < -90 or > 90 || double.IsNaN(e.Lat))
            throw new CotFormatException($"CotEvent lat {e.Lat} is outside -90..90");
        if (e.Lon is < -180 or > 180 || double.IsNaN(e.Lon))
            throw new CotFormatException($"CotEvent lon {e.Lon} is outside -180..180");
        return new CotEvent
        {
            Uid = Text(e.Uid),
            Type = Text(e.Type),
            How = Text(e.How),
            Time = TakMessageConverter.FromMillis(e.SendTime, "sendTime"),
            Start = TakMessageConverter.FromMillis(e.StartTime, "startTime"),
            Stale = TakMessageConverter.FromMillis(e.StaleTime, "staleTime"),
            Access = TextOrNull(e.Access),
            Qos = TextOrNull(e.Qos),
            Opex = TextOrNull(e.Opex),
            Point = new CotPoint(e.Lat, e.Lon, e.Hae, e.Ce, e.Le),
            Detail = e.HasDetail ? ToDetail(ref e, limits) : CotDetail.Empty,
        };
    }

    /// <summary>
    /// specs/tak-protocol.md, "Receiving": typed fields first (contact, group, precisionlocation, status, takv, track),
    /// each only when xmlDetail does not carry that element, then the xmlDetail elements in their order.
    /// </summary>
    private static CotDetail ToDetail(ref EventFields e, CotXmlLimits limits)
    {
        var fromXml = new ScratchList<DetailElement>();
        try
        {
            if (!e.XmlDetail.IsEmpty) CotXmlReader.ReadDetailFragment(e.XmlDetail, limits, ref fromXml);
            var xml = fromXml.Items;
            var contact = e.HasContact && !Has(xml, Contact.ElementName);
            var group = e.HasGroup && !Has(xml, Group.ElementName);
            var location = e.HasPrecisionLocation && !Has(xml, PrecisionLocation.ElementName);
            var status = e.HasStatus && !Has(xml, Status.ElementName);
            var takv = e.HasTakv && !Has(xml, Takv.ElementName);
            var track = e.HasTrack && !Has(xml, Track.ElementName);
            var typed = (contact ? 1 : 0) + (group ? 1 : 0) + (location ? 1 : 0) + (status ? 1 : 0) + (takv ? 1 : 0) + (track ? 1 : 0);
            if (typed + xml.Length == 0) return CotDetail.Empty;
            if (status && e.Battery > int.MaxValue) throw new CotFormatException($"status battery {e.Battery} is out of range");

            var elements = new DetailElement[typed + xml.Length];
            var next = 0;
            if (contact) elements[next++] = new Contact { Callsign = Text(e.Callsign), Endpoint = TextOrNull(e.Endpoint) };
            if (group) elements[next++] = new Group { Team = Text(e.GroupName), Role = Text(e.GroupRole) };
            if (location)
                elements[next++] = new PrecisionLocation { GeopointSource = Text(e.GeopointSource), AltitudeSource = Text(e.AltitudeSource) };
            if (status) elements[next++] = new Status { Battery = (int)e.Battery };
            if (takv)
                elements[next++] = new Takv { Device = Text(e.Device), Platform = Text(e.Platform), Os = Text(e.Os), Version = Text(e.Version) };
            if (track) elements[next++] = new Track { Course = e.Course, Speed = e.Speed };
            xml.CopyTo(elements.AsSpan(next));
            return new CotDetail { Elements = ImmutableCollectionsMarshal.AsImmutableArray(elements) };
        }
        finally
        {
            fromXml.Dispose();
        }
    }

    private static bool Has(ReadOnlySpan<DetailElement> elements, string name)
    {
        foreach (var element in elements)
            if (element.Name == name)
                return true;
        return false;
    }

    // UTF-8 was checked when the field was read.
    private static string Text(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= CotNameCache.MaxLength ? CotNameCache.Get(utf8) : Encoding.UTF8.GetString(utf8);

    private static string? TextOrNull(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? null : Text(utf8);
}
