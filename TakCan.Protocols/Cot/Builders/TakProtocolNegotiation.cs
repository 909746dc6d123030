using System.Globalization;
using System.Xml;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// The three XML events of TAK Protocol streaming negotiation (ATAK-CIV takproto/README.md, "TAK Protocol -
/// Generic Framework - Streaming Connections"; specs/server-links.md): the server offers versions
/// (<c>t-x-takp-v</c>, <c>&lt;TakProtocolSupport version="1"/&gt;</c>), the client requests one reusing the
/// offer's uid (<c>t-x-takp-q</c>, <c>&lt;TakRequest version="1"/&gt;</c>), the server answers
/// (<c>t-x-takp-r</c>, <c>&lt;TakResponse status="true|false"/&gt;</c>). Pure builders and readers.
/// </summary>
public static class TakProtocolNegotiation
{
    public const string OfferType = "t-x-takp-v";

    public const string RequestType = "t-x-takp-q";

    public const string ResponseType = "t-x-takp-r";

    /// <summary>Every negotiation event's type starts with this.</summary>
    public const string TypePrefix = "t-x-takp-";

    /// <summary>The detail element all three events carry.</summary>
    public const string ControlElement = "TakControl";

    /// <summary>
    /// Stale time of the events and the least time either side waits for the other's next step: the README lets a
    /// server accept a request for a minute after its offer, and a client waits at least a minute for the answer.
    /// </summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(60);

    // The README's example point: nowhere, with ATAK's unknown-error marker.
    private static readonly CotPoint Nowhere = new(0, 0, 0, 999999, 999999);

    public static bool IsNegotiation(CotEvent evt) => evt.Type.StartsWith(TypePrefix, StringComparison.Ordinal);

    /// <summary>The server's offer: one <c>TakProtocolSupport</c> per version, inside a single <c>TakControl</c>.</summary>
    public static CotEvent Offer(string uid, DateTime now, params IReadOnlyList<int> versions)
    {
        if (versions.Count == 0) throw new ArgumentException("an offer names at least one version", nameof(versions));
        var children = string.Concat(versions.Select(static v => $"<TakProtocolSupport version='{CheckVersion(v)}'/>"));
        return Build(uid, OfferType, now, children);
    }

    /// <summary>The client's request for <paramref name="version"/>; <paramref name="offerUid"/> is the offer's uid.</summary>
    public static CotEvent Request(string offerUid, int version, DateTime now) =>
        Build(offerUid, RequestType, now, $"<TakRequest version='{CheckVersion(version)}'/>");

    /// <summary>The server's answer to a request, with the request's uid.</summary>
    public static CotEvent Response(string requestUid, bool accepted, DateTime now) =>
        Build(requestUid, ResponseType, now, $"<TakResponse status='{(accepted ? "true" : "false")}'/>");

    /// <summary>Reads an offer's versions (those that are positive integers, in order; possibly none).</summary>
    /// <returns>False when <paramref name="evt"/> is not an offer or carries no <c>TakControl</c>.</returns>
    public static bool TryReadOffer(CotEvent evt, out IReadOnlyList<int> versions)
    {
        versions = [];
        if (evt.Type != OfferType || !TryReadControl(evt, out var children)) return false;
        versions = children
            .Where(static c => c.Name == "TakProtocolSupport")
            .Select(static c => ParseVersion(c.Attribute("version")))
            .OfType<int>()
            .ToArray();
        return true;
    }

    /// <returns>False when <paramref name="evt"/> is not a request or does not name exactly one valid version.</returns>
    public static bool TryReadRequest(CotEvent evt, out int version)
    {
        version = 0;
        if (evt.Type != RequestType || !TryReadControl(evt, out var children)) return false;
        // The README allows only one TakRequest.
        var requests = children.Where(static c => c.Name == "TakRequest").ToArray();
        if (requests.Length != 1 || ParseVersion(requests[0].Attribute("version")) is not { } v) return false;
        version = v;
        return true;
    }

    /// <summary>
    /// Reads the server's answer. TAK Server writes Java's <c>Boolean.toString</c>; like Java's parser, "true" in any
    /// case means accepted and any other value refused.
    /// </summary>
    /// <returns>False when <paramref name="evt"/> is not a response or has no <c>TakResponse status</c>.</returns>
    public static bool TryReadResponse(CotEvent evt, out bool accepted)
    {
        accepted = false;
        if (evt.Type != ResponseType || !TryReadControl(evt, out var children)) return false;
        var status = children.FirstOrDefault(static c => c.Name == "TakResponse")?.Attribute("status");
        if (status is null) return false;
        accepted = string.Equals(status.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        return true;
    }

    private static CotEvent Build(string uid, string type, DateTime now, string controlChildren)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        var time = GeoChatBuilder.TruncateToMilliseconds(now);
        return new CotEvent
        {
            Uid = uid,
            Type = type,
            How = "m-g",
            Time = time,
            Start = time,
            Stale = time + Lifetime,
            Point = Nowhere,
            Detail = new CotDetail([OpaqueElement.Parse($"<{ControlElement}>{controlChildren}</{ControlElement}>")]),
        };
    }

    private static int CheckVersion(int version) =>
        version >= 1 ? version : throw new ArgumentOutOfRangeException(nameof(version), version, "TAK protocol versions start at 1");

    private static int? ParseVersion(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 ? v : null;

    private static bool TryReadControl(CotEvent evt, out IReadOnlyList<ControlChild> children)
    {
        children = [];
        var control = evt.Detail.Elements.FirstOrDefault(static e => e.Name == ControlElement);
        if (control is null) return false;
        // Whatever record the reader made of it (opaque today), its XML is what the server wrote.
        var xml = CotXmlWriter.DetailChildrenToXml([control]);
        var found = new List<ControlChild>(2);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != 1) continue;
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                if (reader.MoveToFirstAttribute())
                {
                    do attributes[reader.Name] = reader.Value;
                    while (reader.MoveToNextAttribute());
                    reader.MoveToElement();
                }

                found.Add(new ControlChild(reader.LocalName, attributes));
            }
        }
        catch (XmlException)
        {
            // Already checked by the CoT reader; an element that still fails here carries nothing usable.
            return false;
        }

        children = found;
        return true;
    }

    private sealed record ControlChild(string Name, IReadOnlyDictionary<string, string> Attributes)
    {
        public string? Attribute(string name) => Attributes.GetValueOrDefault(name);
    }
}
