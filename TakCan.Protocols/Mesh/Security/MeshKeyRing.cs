namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// The keys a node accepts: the current mission key, and during a rotation's grace window the previous one.
/// Frames are always sealed under the current key.
/// </summary>
public sealed class MeshKeyRing
{
    private readonly MeshKeySet? _previous;

    public MeshKeyRing(MeshKeySet current, MeshKeySet? previous = null)
    {
        Current = current;
        _previous = previous is not null && previous.KeyId != current.KeyId ? previous : null;
    }

    public MeshKeySet Current { get; }

    /// <summary>The keys frames are accepted under: current first, then the previous one during its grace window.</summary>
    public IEnumerable<MeshKeySet> Accepted => _previous is null ? [Current] : [Current, _previous];

    public MeshKeySet? Find(ushort keyId) =>
        keyId == Current.KeyId ? Current : _previous is not null && keyId == _previous.KeyId ? _previous : null;
}
