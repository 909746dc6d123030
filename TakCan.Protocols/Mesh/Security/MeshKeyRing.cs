using TakCan.Protocols.Mesh.Keys;

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

    /// <summary>The ring of a mission key file at <paramref name="now"/>: its key, and the previous one within its grace window.</summary>
    public static MeshKeyRing From(MissionKey key, DateTime now)
    {
        var active = key.ActiveKeys(now).ToArray();
        if (active.Length == 0) throw new MissionKeyException($"mission key {MissionKey.FormatKeyId(key.KeyId)} expired on {key.Expires:yyyy-MM-dd HH:mm} UTC");
        return new MeshKeyRing(new MeshKeySet(active[0].Key), active.Length > 1 ? new MeshKeySet(active[1].Key) : null);
    }

    /// <summary>The keys frames are accepted under: current first, then the previous one during its grace window.</summary>
    public IEnumerable<MeshKeySet> Accepted => _previous is null ? [Current] : [Current, _previous];

    public MeshKeySet? Find(ushort keyId) =>
        keyId == Current.KeyId ? Current : _previous is not null && keyId == _previous.KeyId ? _previous : null;
}
