using Akka;
using Akka.Streams.Dsl;
using TakCan.Actors.Mesh.Stages;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh;

/// <summary>
/// The protocol stack of one link, top to bottom: envelope, seal, fragment (specs/mesh.md, "Layers").
/// Point-to-point links authenticate pairwise; broadcast media use the team's group key.
/// </summary>
public static class MeshLinkStack
{
    public static BidiFlow<MeshEnvelope, byte[], byte[], MeshEnvelope, NotUsed> Create(
        MeshSettings settings, MeshMedium medium, int mtu, MeshCounters counters, Action<MeshPeerInfo>? onAuthenticated = null)
    {
        var seal = medium == MeshMedium.PointToPoint
            ? LinkSecurity.Create(new LinkSecuritySettings(settings.Keys, settings.Self)
            {
                TeamFilter = settings.TeamFilter,
                HandshakeTimeout = settings.HandshakeTimeout,
                KeepaliveInterval = settings.KeepaliveInterval,
                LinkTimeout = settings.LinkTimeout,
            }, counters, onAuthenticated)
            : GroupSecurity.Create(settings.Keys, settings.TeamFilter ? settings.Team : null, counters);
        var fragments = Fragmentation.Create(new FragmentationSettings(mtu, Retransmit: medium == MeshMedium.PointToPoint), counters);
        return Envelopes.Create(counters).Atop(seal).Atop(fragments);
    }
}
