using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Mesh;

/// <summary>An envelope entering the relay: from a neighbour's link, or from this device (<see cref="LocalLink"/>).</summary>
public sealed record MeshInbound(int Link, MeshEnvelope Envelope)
{
    public const int LocalLink = 0;
}
