using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>A link's pipeline ended because the neighbour could not be authenticated; the reason is counted.</summary>
public sealed class MeshLinkClosedException(MeshDropReason reason, string message) : Exception(message)
{
    public MeshDropReason Reason { get; } = reason;
}
