using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh;

/// <summary>Messages of <see cref="MeshActor"/>: commands in the imperative, events in the past tense.</summary>
public static class MeshProtocol
{
    /// <summary>Send a message into the mesh as this node (origin), to every neighbour and on by relay.</summary>
    public sealed record SendToMesh(MeshMessageKind Kind, ReadOnlyMemory<byte> Payload);

    /// <summary>
    /// Sign what this node originates from now on with <paramref name="Signer"/> (null: stop signing); replaces
    /// <see cref="MeshSettings.Signer"/> until the mesh restarts.
    /// </summary>
    public sealed record UseOriginSigner(OriginSigner? Signer);

    /// <summary>Reply to <see cref="SendToMesh"/>: the sequence number the message went out with (for acknowledgements).</summary>
    public sealed record SentToMesh(uint Sequence);

    /// <summary>A message from another node arrived, first copy only.</summary>
    public sealed record MeshMessageReceived(MeshEnvelope Envelope);

    /// <summary>A neighbour proved it holds the mission key (and, with the filter on, is of our team).</summary>
    public sealed record PeerJoined(int Link, string Transport, string Description, MeshPeerInfo? Peer);

    public sealed record PeerLeft(int Link, string Description);

    public sealed record GetMeshStatus
    {
        public static GetMeshStatus Instance { get; } = new();
    }

    public sealed record MeshStatus(IReadOnlyList<MeshLinkStatus> Links, MeshCountersSnapshot Counters);

    public sealed record MeshLinkStatus(int Link, string Transport, string Description, bool Up, MeshPeerInfo? Peer);

    internal sealed record LinkOffered(MeshLinkOffer Offer);
}
