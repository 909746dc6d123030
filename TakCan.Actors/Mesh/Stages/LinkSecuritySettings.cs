using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>What the seal layer of a point-to-point link needs (specs/mesh.md, "Link handshake").</summary>
public sealed record LinkSecuritySettings(MeshKeyRing Keys, MeshPeerInfo Self)
{
    public bool TeamFilter { get; init; } = true;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan HelloInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An up link that sent nothing for this long sends a keepalive (an empty LINK DATA frame).</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An up link that heard nothing authenticated from its neighbour for this long is closed.</summary>
    public TimeSpan LinkTimeout { get; init; } = TimeSpan.FromSeconds(35);
}
