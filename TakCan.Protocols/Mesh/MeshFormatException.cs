namespace TakCan.Protocols.Mesh;

/// <summary>
/// A mesh frame that cannot be accepted. The pipeline turns it into a counted drop with
/// <see cref="Reason"/> as the counter; it never escapes a stream stage.
/// </summary>
public sealed class MeshFormatException : Exception
{
    public MeshFormatException(MeshDropReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public MeshDropReason Reason { get; }
}
