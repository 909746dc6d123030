namespace TakCan.Host.Console.Api;

/// <summary>Who this node is, as <c>GET /api/status</c> shows it.</summary>
/// <param name="MeshNode">The mesh node id (hex), when the node has joined a mesh.</param>
public sealed record ApiNode(string Callsign, string Uid, string? Team, string? Role = null, string? MeshNode = null);
