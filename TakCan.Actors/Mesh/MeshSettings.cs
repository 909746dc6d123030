using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh;

/// <summary>One node's mesh configuration, read once and passed down (specs/mesh.md lists the defaults).</summary>
public sealed record MeshSettings(MeshKeyRing Keys, NodeId Node, string Team)
{
    /// <summary>Mission maximum hops (1–5): the ttl this node gives its messages and the cap on what it relays.</summary>
    public int MaxHops { get; init; } = 3;

    public bool TeamFilter { get; init; } = true;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Point-to-point links: keepalive after this much silence going out (specs/mesh.md, "Liveness").</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Point-to-point links: closed after this much silence coming in.</summary>
    public TimeSpan LinkTimeout { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Envelopes waiting per link; the oldest is dropped beyond this (SA is superseded by newer SA anyway).</summary>
    public int LinkQueueSize { get; init; } = 256;

    public RelaySettings Relay { get; init; } = RelaySettings.Default;

    /// <summary>
    /// Signs every envelope this node originates (specs/bridge.md, "Envelope signature"); null: unsigned. A node onboarded
    /// with a bridge signs, so the bridge can tell its messages from anyone else's.
    /// </summary>
    public OriginSigner? Signer { get; init; }

    public MeshPeerInfo Self => new(Node, Team);
}
