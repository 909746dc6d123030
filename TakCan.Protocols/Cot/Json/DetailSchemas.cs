using System.Collections.Frozen;
using System.Text.Json;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// Every typed detail record and its JSON properties (specs/cot-json.md, "Detail items"). Property names are the
/// model's, in camelCase; adding a property to a record means adding one line here.
/// </summary>
internal static class DetailSchemas
{
    private static readonly DetailSchema<Contact> ContactSchema = new DetailSchema<Contact>(Contact.ElementName, static () => new())
        .Text("callsign", static e => e.Callsign, static (e, v) => e with { Callsign = v })
        .Text("endpoint", static e => e.Endpoint, static (e, v) => e with { Endpoint = v })
        .Text("phone", static e => e.Phone, static (e, v) => e with { Phone = v });

    private static readonly DetailSchema<Group> GroupSchema = new DetailSchema<Group>(Group.ElementName, static () => new())
        .Text("team", static e => e.Team, static (e, v) => e with { Team = v })
        .Text("role", static e => e.Role, static (e, v) => e with { Role = v });

    private static readonly DetailSchema<Takv> TakvSchema = new DetailSchema<Takv>(Takv.ElementName, static () => new())
        .Text("device", static e => e.Device, static (e, v) => e with { Device = v })
        .Text("platform", static e => e.Platform, static (e, v) => e with { Platform = v })
        .Text("os", static e => e.Os, static (e, v) => e with { Os = v })
        .Text("version", static e => e.Version, static (e, v) => e with { Version = v });

    private static readonly DetailSchema<Track> TrackSchema = new DetailSchema<Track>(Track.ElementName, static () => new())
        .Number("course", static e => e.Course, static (e, v) => e with { Course = v })
        .Number("speed", static e => e.Speed, static (e, v) => e with { Speed = v });

    private static readonly DetailSchema<Status> StatusSchema = new DetailSchema<Status>(Status.ElementName, static () => new())
        .Int("battery", static e => e.Battery, static (e, v) => e with { Battery = v });

    private static readonly DetailSchema<PrecisionLocation> PrecisionLocationSchema =
        new DetailSchema<PrecisionLocation>(PrecisionLocation.ElementName, static () => new())
            .Text("geopointSource", static e => e.GeopointSource, static (e, v) => e with { GeopointSource = v })
            .Text("altitudeSource", static e => e.AltitudeSource, static (e, v) => e with { AltitudeSource = v });

    private static readonly DetailSchema<DroidUid> DroidUidSchema = new DetailSchema<DroidUid>(DroidUid.ElementName, static () => new())
        .Text("droid", static e => e.Droid, static (e, v) => e with { Droid = v });

    private static readonly DetailSchema<Remarks> RemarksSchema = new DetailSchema<Remarks>(Remarks.ElementName, static () => new())
        .Text("source", static e => e.Source, static (e, v) => e with { Source = v })
        .Text("to", static e => e.To, static (e, v) => e with { To = v })
        .Text("time", static e => e.Time, static (e, v) => e with { Time = v })
        .Text("content", static e => e.Content, static (e, v) => e with { Content = v });

    private static readonly DetailSchema<Link> LinkSchema = new DetailSchema<Link>(Link.ElementName, static () => new())
        .Text("uid", static e => e.Uid, static (e, v) => e with { Uid = v })
        .Text("type", static e => e.Type, static (e, v) => e with { Type = v })
        .Text("relation", static e => e.Relation, static (e, v) => e with { Relation = v })
        .Text("callsign", static e => e.Callsign, static (e, v) => e with { Callsign = v })
        .Text("point", static e => e.Point, static (e, v) => e with { Point = v })
        .Text("parentCallsign", static e => e.ParentCallsign, static (e, v) => e with { ParentCallsign = v })
        .Text("productionTime", static e => e.ProductionTime, static (e, v) => e with { ProductionTime = v })
        .Text("remarks", static e => e.Remarks, static (e, v) => e with { Remarks = v });

    private static readonly DetailSchema<ChatGroup> ChatGroupSchema = new DetailSchema<ChatGroup>(ChatGroup.ElementName, static () => new())
        .Text("id", static e => e.Id, static (e, v) => e with { Id = v })
        .TextList("uids", static e => e.Uids, static (e, v) => e with { Uids = v });

    private static readonly DetailSchema<Chat> ChatSchema = new DetailSchema<Chat>(Chat.ElementName, static () => new())
        .Text("chatroom", static e => e.Chatroom, static (e, v) => e with { Chatroom = v })
        .Text("id", static e => e.Id, static (e, v) => e with { Id = v })
        .Text("parent", static e => e.Parent, static (e, v) => e with { Parent = v })
        .Bool("groupOwner", static e => e.GroupOwner, static (e, v) => e with { GroupOwner = v })
        .Text("messageId", static e => e.MessageId, static (e, v) => e with { MessageId = v })
        .Text("senderCallsign", static e => e.SenderCallsign, static (e, v) => e with { SenderCallsign = v })
        .Child("chatGroup", ChatGroupSchema, static e => e.ChatGroup, static (e, v) => e with { ChatGroup = v });

    private static readonly DetailSchema<Emergency> EmergencySchema = new DetailSchema<Emergency>(Emergency.ElementName, static () => new())
        .Text("type", static e => e.Type, static (e, v) => e with { Type = v })
        .Bool("cancel", static e => e.Cancel, static (e, v) => e with { Cancel = v })
        .Text("callsign", static e => e.Callsign, static (e, v) => e with { Callsign = v });

    private static readonly DetailSchema<ConnectionEntry> ConnectionEntrySchema =
        new DetailSchema<ConnectionEntry>(ConnectionEntry.ElementName, static () => new())
            .Text("uid", static e => e.Uid, static (e, v) => e with { Uid = v })
            .Text("alias", static e => e.Alias, static (e, v) => e with { Alias = v })
            .Text("protocol", static e => e.Protocol, static (e, v) => e with { Protocol = v })
            .Text("address", static e => e.Address, static (e, v) => e with { Address = v })
            .Int("port", static e => e.Port, static (e, v) => e with { Port = v })
            .Text("path", static e => e.Path, static (e, v) => e with { Path = v })
            .Int("networkTimeout", static e => e.NetworkTimeout, static (e, v) => e with { NetworkTimeout = v })
            .Int("bufferTime", static e => e.BufferTime, static (e, v) => e with { BufferTime = v })
            .Int("roverPort", static e => e.RoverPort, static (e, v) => e with { RoverPort = v })
            .Int("rtspReliable", static e => e.RtspReliable, static (e, v) => e with { RtspReliable = v })
            .Bool("ignoreEmbeddedKlv", static e => e.IgnoreEmbeddedKlv, static (e, v) => e with { IgnoreEmbeddedKlv = v });

    private static readonly DetailSchema<Video> VideoSchema = new DetailSchema<Video>(Video.ElementName, static () => new())
        .Text("url", static e => e.Url, static (e, v) => e with { Url = v })
        .Text("uid", static e => e.Uid, static (e, v) => e with { Uid = v })
        .Child("connectionEntry", ConnectionEntrySchema, static e => e.ConnectionEntry, static (e, v) => e with { ConnectionEntry = v });

    private static readonly DetailSchema<Geofence> GeofenceSchema = new DetailSchema<Geofence>(Geofence.ElementName, static () => new())
        .Text("trigger", static e => e.Trigger, static (e, v) => e with { Trigger = v })
        .Text("monitor", static e => e.Monitor, static (e, v) => e with { Monitor = v })
        .Bool("tracking", static e => e.Tracking, static (e, v) => e with { Tracking = v })
        .Bool("elevationMonitored", static e => e.ElevationMonitored, static (e, v) => e with { ElevationMonitored = v })
        .Number("minElevation", static e => e.MinElevation, static (e, v) => e with { MinElevation = v })
        .Number("maxElevation", static e => e.MaxElevation, static (e, v) => e with { MaxElevation = v })
        .Number("boundingSphere", static e => e.BoundingSphere, static (e, v) => e with { BoundingSphere = v });

    private static readonly DetailSchema<Ellipse> EllipseSchema = new DetailSchema<Ellipse>(Ellipse.ElementName, static () => new())
        .Number("major", static e => e.Major, static (e, v) => e with { Major = v })
        .Number("minor", static e => e.Minor, static (e, v) => e with { Minor = v })
        .Number("angle", static e => e.Angle, static (e, v) => e with { Angle = v });

    private static readonly DetailSchema<Vertex> VertexSchema = new DetailSchema<Vertex>(Vertex.ElementName, static () => new())
        .Number("lat", static e => e.Lat, static (e, v) => e with { Lat = v })
        .Number("lon", static e => e.Lon, static (e, v) => e with { Lon = v })
        .Number("hae", static e => e.Hae, static (e, v) => e with { Hae = v });

    private static readonly DetailSchema<Polyline> PolylineSchema = new DetailSchema<Polyline>(Polyline.ElementName, static () => new())
        .Bool("closed", static e => e.Closed, static (e, v) => e with { Closed = v })
        .Children("vertices", VertexSchema, static e => e.Vertices, static (e, v) => e with { Vertices = v });

    private static readonly DetailSchema<Shape> ShapeSchema = new DetailSchema<Shape>(Shape.ElementName, static () => new())
        .Child("ellipse", EllipseSchema, static e => e.Ellipse, static (e, v) => e with { Ellipse = v })
        .Child("polyline", PolylineSchema, static e => e.Polyline, static (e, v) => e with { Polyline = v });

    private static readonly DetailSchema<MartiDest> MartiDestSchema = new DetailSchema<MartiDest>(MartiDest.ElementName, static () => new())
        .Text("callsign", static e => e.Callsign, static (e, v) => e with { Callsign = v })
        .Text("uid", static e => e.Uid, static (e, v) => e with { Uid = v })
        .Text("mission", static e => e.Mission, static (e, v) => e with { Mission = v });

    private static readonly DetailSchema<Marti> MartiSchema = new DetailSchema<Marti>(Marti.ElementName, static () => new())
        .Children("destinations", MartiDestSchema, static e => e.Destinations, static (e, v) => e with { Destinations = v });

    // The tags are the element's attributes, so they travel as otherAttributes.
    private static readonly DetailSchema<FlowTags> FlowTagsSchema = new(FlowTags.ElementName, static () => new());

    private static readonly DetailSchema[] All =
    [
        ContactSchema, GroupSchema, TakvSchema, TrackSchema, StatusSchema, PrecisionLocationSchema, DroidUidSchema, RemarksSchema,
        LinkSchema, ChatSchema, ChatGroupSchema, EmergencySchema, VideoSchema, ConnectionEntrySchema, GeofenceSchema, ShapeSchema,
        EllipseSchema, PolylineSchema, VertexSchema, MartiSchema, MartiDestSchema, FlowTagsSchema,
    ];

    private static readonly FrozenDictionary<string, DetailSchema> ByName =
        All.ToFrozenDictionary(static s => s.ElementName, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, DetailSchema> ByType = All.ToFrozenDictionary(static s => s.ElementType);

    /// <summary>The records this table covers; any other <see cref="DetailElement"/> is written in its XML form.</summary>
    public static IEnumerable<Type> ModelledTypes => ByType.Keys;

    public static void WriteItem(Utf8JsonWriter writer, DetailElement element)
    {
        if (element is OpaqueElement opaque)
            WriteOpaque(writer, opaque.Name, opaque.Xml, opaque);
        else if (ByType.TryGetValue(element.GetType(), out var schema))
            schema.WriteItem(writer, element);
        else
            // A record added to the model but not to this table still survives, as XML, rather than being lost.
            WriteOpaque(writer, element.Name, CotXmlWriter.DetailChildrenToXml([element]), null);
    }

    /// <summary>
    /// On a detail item's start: an item with <c>xml</c> is an opaque element (whatever its name, so an unknown element
    /// named like a typed one keeps its exact XML); otherwise <c>element</c> selects the typed record.
    /// </summary>
    public static DetailElement ReadItem(ref CotJsonParser parser)
    {
        if (parser.TokenType != JsonTokenType.StartObject) throw parser.WrongType("an object");
        var (name, hasXml) = parser.PeekDiscriminator();
        if (name is null) throw parser.Missing(CotJsonNames.Element);
        if (hasXml) return ReadOpaque(ref parser, name);
        if (ByName.TryGetValue(name, out var schema)) return schema.ReadItem(ref parser, DetailItemXmlDepth);
        throw parser.Fail($"element '{name}' is not one TAK Can models, so it needs \"xml\"");
    }

    // event = 1, detail = 2.
    private const int DetailItemXmlDepth = 3;

    private static void WriteOpaque(Utf8JsonWriter writer, string name, string xml, OpaqueElement? others)
    {
        writer.WriteStartObject();
        writer.WriteString(CotJsonNames.Element, name);
        writer.WriteString(CotJsonNames.Xml, xml);
        if (others is not null) DetailSchema.WriteOthers(writer, others);
        writer.WriteEndObject();
    }

    private static OpaqueElement ReadOpaque(ref CotJsonParser parser, string name)
    {
        string? xml = null;
        var attributes = EquatableArray<CotAttribute>.Empty;
        var children = EquatableArray<OpaqueElement>.Empty;
        bool seenAttributes = false, seenChildren = false;
        while (parser.NextProperty())
        {
            if (parser.IsProperty(CotJsonNames.Xml))
            {
                parser.Push(CotJsonNames.Xml);
                xml = parser.ReadString();
                parser.Pop();
            }
            else if (parser.IsProperty(CotJsonNames.OtherAttributes))
            {
                if (seenAttributes) throw parser.Duplicate(CotJsonNames.OtherAttributes);
                seenAttributes = true;
                parser.Push(CotJsonNames.OtherAttributes);
                attributes = DetailSchema.ReadOtherAttributes(ref parser);
                parser.Pop();
            }
            else if (parser.IsProperty(CotJsonNames.OtherChildren))
            {
                if (seenChildren) throw parser.Duplicate(CotJsonNames.OtherChildren);
                seenChildren = true;
                parser.Push(CotJsonNames.OtherChildren);
                children = DetailSchema.ReadOtherChildren(ref parser, DetailItemXmlDepth + 1);
                parser.Pop();
            }
            else
            {
                parser.SkipValue();
            }
        }

        if (xml is null) throw parser.FailAt(CotJsonNames.Xml.Value, "expected a string of XML, found null");
        parser.Push(CotJsonNames.Xml);
        var element = DetailSchema.ParseXml(ref parser, xml, DetailItemXmlDepth);
        if (element.Name != name) throw parser.Fail($"the XML is <{element.Name}> but \"element\" says '{name}'");
        parser.Pop();
        return attributes.IsEmpty && children.IsEmpty ? element : element with { OtherAttributes = attributes, OtherChildren = children };
    }
}
