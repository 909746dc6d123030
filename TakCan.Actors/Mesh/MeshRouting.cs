using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Mesh;

/// <summary>What the relay decided for one new message.</summary>
/// <param name="Deliver">The envelope to hand to this device, or null (own message, or not for local delivery).</param>
/// <param name="Forward">The envelope to send on (ttl and hops already stepped), or null when ttl is spent.</param>
/// <param name="Skip">Links not to send it to: where it came from and neighbours known to have it.</param>
public sealed record MeshRouting(MeshEnvelope? Deliver, MeshEnvelope? Forward, IReadOnlyList<int> Skip);
