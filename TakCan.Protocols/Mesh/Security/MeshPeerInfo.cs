namespace TakCan.Protocols.Mesh.Security;

/// <summary>What a node tells a neighbour about itself, only ever inside the encryption of the handshake.</summary>
/// <param name="Node">The node's mesh identity (envelope origin).</param>
/// <param name="Team">ATAK team colour; with the team filter on, a neighbour of another team is refused.</param>
/// <param name="MaxVersion">Highest mesh protocol version the node speaks.</param>
public sealed record MeshPeerInfo(NodeId Node, string Team, int MaxVersion = 1);
