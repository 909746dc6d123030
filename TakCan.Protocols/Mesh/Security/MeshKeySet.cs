using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// The keys one mission key yields (specs/mesh.md, "Keys"; derivations in specs/mesh-keys.md): a separate key per
/// purpose, so a key compromised in one use (say, beacon MACs) says nothing about another.
/// </summary>
public sealed class MeshKeySet
{
    public const int KeySize = MissionKey.KeyLength;

    private readonly byte[] _missionKey;

    public MeshKeySet(ReadOnlySpan<byte> missionKey)
    {
        if (missionKey.Length != KeySize) throw new ArgumentException($"a mission key is {KeySize} bytes", nameof(missionKey));
        _missionKey = missionKey.ToArray();
        KeyId = MissionKey.ComputeKeyId(missionKey);
        Auth = MissionKey.DeriveFrom(missionKey, MissionKey.AuthPurpose);
        Link = MissionKey.DeriveFrom(missionKey, MissionKey.LinkPurpose);
        Group = MissionKey.DeriveFrom(missionKey, MissionKey.GroupPurpose);
        Beacon = MissionKey.DeriveFrom(missionKey, MissionKey.BeaconPurpose);
    }

    /// <summary>Carried in clear in every sealed frame so a receiver picks the current or previous key.</summary>
    public ushort KeyId { get; }

    /// <summary>HMAC-SHA256 key of the link handshake.</summary>
    public byte[] Auth { get; }

    /// <summary>Input keying material of per-link session keys.</summary>
    public byte[] Link { get; }

    /// <summary>AES-256-GCM key of broadcast (group) frames when the team filter is off.</summary>
    public byte[] Group { get; }

    /// <summary>HMAC-SHA256 key of discovery beacons.</summary>
    public byte[] Beacon { get; }

    /// <summary>HKDF-SHA256(ikm = mission key, salt = "TAKCan mesh v1", info = "takcan/v1/" + purpose).</summary>
    public static byte[] Derive(ReadOnlySpan<byte> missionKey, string purpose, int length = KeySize) =>
        MissionKey.DeriveFrom(missionKey, purpose, length);

    /// <summary>
    /// The broadcast key of one team: with the team filter on, another team's node on the same radio can
    /// neither read nor inject (specs/mesh.md). Null means the filter is off: the mission-wide key.
    /// </summary>
    public byte[] GroupKey(string? team) =>
        team is null ? Group : MissionKey.DeriveFrom(_missionKey, MissionKey.GroupPurpose + ":" + team.ToLowerInvariant());
}
