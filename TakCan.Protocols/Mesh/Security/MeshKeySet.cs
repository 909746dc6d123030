using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// The keys one mission key yields (specs/mesh.md, "Keys"): a separate key per purpose, so a key
/// compromised in one use (say, beacon MACs) says nothing about another.
/// </summary>
public sealed class MeshKeySet
{
    public const int KeySize = 32;
    private static readonly byte[] Salt = Encoding.UTF8.GetBytes("TAKCan mesh v1");

    public MeshKeySet(ReadOnlySpan<byte> missionKey)
    {
        if (missionKey.Length != KeySize) throw new ArgumentException($"a mission key is {KeySize} bytes", nameof(missionKey));
        Span<byte> id = stackalloc byte[2];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, missionKey, id, Salt, "key-id"u8);
        KeyId = BinaryPrimitives.ReadUInt16BigEndian(id);
        Auth = Derive(missionKey, "auth");
        Link = Derive(missionKey, "link");
        Group = Derive(missionKey, "group");
        Beacon = Derive(missionKey, "beacon");
        _missionKey = missionKey.ToArray();
    }

    /// <summary>Carried in clear in every sealed frame so a receiver picks the current or previous key.</summary>
    public ushort KeyId { get; }

    /// <summary>HMAC-SHA256 key of the link handshake.</summary>
    public byte[] Auth { get; }

    /// <summary>Input keying material of per-link session keys.</summary>
    public byte[] Link { get; }

    /// <summary>AES-256-GCM key of broadcast (group) frames when the team filter is off.</summary>
    public byte[] Group { get; }

    private readonly byte[] _missionKey;

    /// <summary>
    /// The broadcast key of one team: with the team filter on, another team's node on the same radio can
    /// neither read nor inject (specs/mesh.md). Null means the filter is off: the mission-wide key.
    /// </summary>
    public byte[] GroupKey(string? team) => team is null ? Group : Derive(_missionKey, "group:" + team.ToLowerInvariant());

    /// <summary>HMAC-SHA256 key of discovery beacons.</summary>
    public byte[] Beacon { get; }

    /// <summary>HKDF-SHA256(ikm = mission key, salt = "TAKCan mesh v1", info = "takcan/v1/" + purpose).</summary>
    public static byte[] Derive(ReadOnlySpan<byte> missionKey, string purpose, int length = KeySize)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, missionKey, output, Salt, Encoding.UTF8.GetBytes("takcan/v1/" + purpose));
        return output;
    }
}
