using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Mesh;

/// <summary>What the relay decided for one message.</summary>
/// <param name="Deliver">The envelope to hand to this device, or null (own message, or a later broadcast decision).</param>
/// <param name="Forward">The envelope to send on (ttl and hops already stepped), or null.</param>
/// <param name="Skip">Links not to send it to: where it came from and neighbours known to have it.</param>
/// <param name="Media">Which links the forward is for: point-to-point ones at once, broadcast ones after the suppression wait.</param>
public sealed record MeshRouting(MeshEnvelope? Deliver, MeshEnvelope? Forward, IReadOnlyList<int> Skip, RoutingMedia Media = RoutingMedia.All);

/// <summary>The links a <see cref="MeshRouting"/> forward goes to.</summary>
public enum RoutingMedia
{
    All,
    PointToPoint,
    Broadcast,
}
