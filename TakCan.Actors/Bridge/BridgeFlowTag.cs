using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Bridge;

/// <summary>
/// The <c>_flow-tags_</c> attribute a bridge stamps on a server event it sends into the mesh:
/// <c>takcan-bridge-&lt;node id hex&gt;="time"</c>, as TAK Server stamps <c>TAK-Server-…</c> (specs/bridge.md, "Forwarding").
/// No bridge sends an event carrying such a tag up to a server, so server events never go round.
/// </summary>
public static class BridgeFlowTag
{
    public const string Prefix = "takcan-bridge-";

    public static string NameFor(NodeId node) => Prefix + node;

    public static bool IsTagged(CotEvent evt) =>
        evt.Detail.FlowTags is { } tags && tags.Tags.Any(static t => t.Name.StartsWith(Prefix, StringComparison.Ordinal));

    /// <summary><paramref name="evt"/> with this bridge's tag added to its flow tags (kept in order, others unchanged).</summary>
    public static CotEvent Tag(CotEvent evt, NodeId node, DateTime utcNow)
    {
        var tag = new CotAttribute(NameFor(node), utcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        var existing = evt.Detail.FlowTags;
        var tags = existing is null
            ? new FlowTags { OtherAttributes = EquatableArray<CotAttribute>.Empty.Add(tag) }
            : existing with { OtherAttributes = new EquatableArray<CotAttribute>(existing.Tags.Where(t => t.Name != tag.Name).Append(tag)) };
        return evt with { Detail = evt.Detail.With(tags) };
    }
}
