using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TakCan.Protocols.Mesh.Keys;

/// <summary>
/// A mission's 256-bit pre-shared key with the mission it belongs to: name, team, hop limit and expiry,
/// plus, after a rotation, the retired key that stays accepted for a grace window.
/// Every key the mesh uses is derived from <see cref="Key"/> with HKDF-SHA256, one per purpose, so a
/// leak of one derived key (say the beacon MAC key) gives away neither the others nor the mission key.
/// Layouts and derivations: specs/mesh-keys.md.
/// </summary>
public sealed record MissionKey
{
    public const int KeyLength = 32;
    public const int MaxMissionLength = 64;
    public const int MinHops = 1;
    public const int MaxHopsLimit = 5;
    public const int DefaultHops = 3;

    /// <summary>Purposes the mesh derives keys for (specs/mesh-keys.md, "Derived keys").</summary>
    public const string AuthPurpose = "auth";
    public const string LinkPurpose = "link";
    public const string GroupPurpose = "group";
    public const string BeaconPurpose = "beacon";

    /// <summary>The 14 ATAK team colours, spelled as ATAK writes them in <c>__group name</c>.</summary>
    public static IReadOnlyList<string> Teams { get; } =
    [
        "White", "Yellow", "Orange", "Magenta", "Red", "Maroon", "Purple",
        "Dark Blue", "Blue", "Cyan", "Teal", "Green", "Dark Green", "Brown",
    ];

    private static readonly byte[] Salt = "TAKCan mesh v1"u8.ToArray();
    private static readonly byte[] KeyIdInfo = "key-id"u8.ToArray();
    private const string PurposePrefix = "takcan/v1/";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _key;
    private readonly byte[]? _previous;

    public MissionKey(ReadOnlySpan<byte> key, string mission, string team, int maxHops, DateTime expires)
        : this(key, mission, team, maxHops, expires, ReadOnlySpan<byte>.Empty, null)
    {
    }

    /// <param name="previous">The retired key still accepted after a rotation, or empty for none.</param>
    /// <param name="previousValidUntil">End of the grace window for <paramref name="previous"/>; set exactly when it is.</param>
    public MissionKey(ReadOnlySpan<byte> key, string mission, string team, int maxHops, DateTime expires,
        ReadOnlySpan<byte> previous, DateTime? previousValidUntil)
    {
        RequireKeyLength(key, "the mission key");
        _key = key.ToArray();
        KeyId = ComputeKeyId(_key);
        Mission = ValidateMission(mission);
        Team = NormalizeTeam(team);
        MaxHops = ValidateHops(maxHops);
        Expires = ToWholeSecondsUtc(expires, "expiry");

        if (previous.IsEmpty != (previousValidUntil is null))
            throw new MissionKeyException("a previous key and the end of its grace window go together: give both or neither");
        if (previous.IsEmpty) return;

        RequireKeyLength(previous, "the previous mission key");
        if (CryptographicOperations.FixedTimeEquals(previous, key))
            throw new MissionKeyException("the previous key is the same as the current key; rotate to a new key");
        _previous = previous.ToArray();
        PreviousKeyId = ComputeKeyId(_previous);
        // Frames name their key by id only; two live keys with one id could not be told apart.
        if (PreviousKeyId == KeyId)
            throw new MissionKeyException($"the previous and the current key share key id {FormatKeyId(KeyId)}; rotate again");
        PreviousValidUntil = ToWholeSecondsUtc(previousValidUntil!.Value, "end of the grace window");
    }

    /// <summary>The 32-byte mission key. Never log or print it.</summary>
    public ReadOnlyMemory<byte> Key => _key;

    /// <summary>Mission name, 1 to 64 characters, no control characters, no leading or trailing space.</summary>
    public string Mission { get; }

    /// <summary>One of <see cref="Teams"/>, in its canonical spelling.</summary>
    public string Team { get; }

    /// <summary>How many times a frame may be relayed, 1 to 5.</summary>
    public int MaxHops { get; }

    /// <summary>UTC, whole seconds (the URI carries Unix seconds). From this instant no key of the mission is used.</summary>
    public DateTime Expires { get; }

    /// <summary>The key that was current before the last rotation, while it still matters.</summary>
    public ReadOnlyMemory<byte>? Previous => _previous is null ? (ReadOnlyMemory<byte>?)null : _previous;

    /// <summary>UTC, whole seconds: frames under <see cref="Previous"/> are accepted before this instant.</summary>
    public DateTime? PreviousValidUntil { get; }

    /// <summary>The short id frames carry to say which key sealed them (specs/mesh-keys.md, "Key id").</summary>
    public ushort KeyId { get; }

    public ushort? PreviousKeyId { get; }

    /// <summary>A new random key for a mission.</summary>
    public static MissionKey Generate(string mission, string team, int maxHops, DateTime expires)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new MissionKey(key, mission, team, maxHops, expires);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// A new random key for the same mission; this key becomes <see cref="Previous"/> and stays accepted for
    /// <paramref name="grace"/> (never past <see cref="Expires"/>). A key retired earlier is dropped: a node holds two keys at most.
    /// </summary>
    public MissionKey Rotate(DateTime now, TimeSpan grace)
    {
        if (grace < TimeSpan.Zero)
            throw new MissionKeyException("the grace window cannot be negative");
        var utcNow = ToUtc(now);
        if (utcNow >= Expires)
            throw new MissionKeyException($"mission key '{Mission}' expired on {FormatTime(Expires)}; make a new key with 'takcan key new' instead of rotating");

        var validUntil = grace >= Expires - utcNow ? Expires : utcNow + grace;
        Span<byte> next = stackalloc byte[KeyLength];
        try
        {
            do RandomNumberGenerator.Fill(next);
            while (ComputeKeyId(next) == KeyId);
            return new MissionKey(next, Mission, Team, MaxHops, Expires, _key, validUntil);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(next);
        }
    }

    public bool IsExpired(DateTime now) => ToUtc(now) >= Expires;

    /// <summary>
    /// The keys a node accepts at <paramref name="now"/>, current first: the current key until expiry, the previous
    /// one until its grace window ends. Empty once the mission key has expired. Each array is a fresh copy.
    /// </summary>
    public IEnumerable<(ushort KeyId, byte[] Key)> ActiveKeys(DateTime now)
    {
        var utcNow = ToUtc(now);
        if (utcNow >= Expires) yield break;
        yield return (KeyId, _key.ToArray());
        if (_previous is not null && utcNow < PreviousValidUntil)
            yield return (PreviousKeyId!.Value, _previous.ToArray());
    }

    /// <summary>HKDF-SHA256 of the mission key for one purpose (<see cref="AuthPurpose"/>, <see cref="GroupPurpose"/>, …).</summary>
    public byte[] Derive(string purpose, int length = KeyLength) => DeriveFrom(_key, purpose, length);

    /// <summary>
    /// The derivation of <see cref="Derive"/> for any mission key, e.g. one from <see cref="ActiveKeys"/>:
    /// HKDF-SHA256(ikm = key, salt = "TAKCan mesh v1", info = "takcan/v1/" + purpose).
    /// </summary>
    public static byte[] DeriveFrom(ReadOnlySpan<byte> key, string purpose, int length = KeyLength)
    {
        RequireKeyLength(key, "the mission key");
        if (string.IsNullOrEmpty(purpose))
            throw new ArgumentException("a key purpose is needed, e.g. \"group\"", nameof(purpose));
        if (length is < 1 or > 255 * 32)
            throw new ArgumentOutOfRangeException(nameof(length), length, "HKDF-SHA256 gives 1 to 8160 bytes");
        return Hkdf(key, Salt, Encoding.UTF8.GetBytes(PurposePrefix + purpose), length);
    }

    /// <summary>Key id of any mission key: the first 2 bytes of HKDF-SHA256(ikm = key, salt = "TAKCan mesh v1", info = "key-id"), big-endian.</summary>
    public static ushort ComputeKeyId(ReadOnlySpan<byte> key)
    {
        RequireKeyLength(key, "the mission key");
        return BinaryPrimitives.ReadUInt16BigEndian(Hkdf(key, Salt, KeyIdInfo, 2));
    }

    /// <summary>A key id as people and files write it: 4 lowercase hex digits.</summary>
    public static string FormatKeyId(ushort keyId) => keyId.ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>The canonical spelling of a team colour given in any case, or a <see cref="MissionKeyException"/>.</summary>
    public static string NormalizeTeam(string team)
    {
        foreach (var known in Teams)
            if (string.Equals(known, team, StringComparison.OrdinalIgnoreCase))
                return known;
        throw new MissionKeyException($"unknown team '{team}'; use one of the ATAK team colours: {string.Join(", ", Teams)}");
    }

    /// <summary>The one HKDF call behind every derivation (RFC 5869 with SHA-256).</summary>
    internal static byte[] Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int length)
    {
        var okm = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, okm, salt, info);
        return okm;
    }

    internal static string FormatTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string ValidateMission(string mission)
    {
        if (string.IsNullOrEmpty(mission))
            throw new MissionKeyException($"a mission name is needed (1 to {MaxMissionLength} characters)");
        if (mission.Length > MaxMissionLength)
            throw new MissionKeyException($"the mission name has {mission.Length} characters; at most {MaxMissionLength} are allowed");
        if (mission.Any(char.IsControl))
            throw new MissionKeyException("the mission name must not contain control characters (tabs, line breaks)");
        // Trailing or leading spaces would make two missions that look the same on screen.
        if (char.IsWhiteSpace(mission[0]) || char.IsWhiteSpace(mission[^1]))
            throw new MissionKeyException("the mission name must not start or end with a space");
        try
        {
            StrictUtf8.GetByteCount(mission);
        }
        catch (EncoderFallbackException e)
        {
            throw new MissionKeyException("the mission name is not valid Unicode text", e);
        }

        return mission;
    }

    private static int ValidateHops(int hops) =>
        hops is >= MinHops and <= MaxHopsLimit
            ? hops
            : throw new MissionKeyException($"maximum hops must be {MinHops} to {MaxHopsLimit}, not {hops}");

    private static void RequireKeyLength(ReadOnlySpan<byte> key, string what)
    {
        if (key.Length != KeyLength)
            throw new MissionKeyException($"{what} must be {KeyLength} bytes, not {key.Length}");
    }

    private static DateTime ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => time,
    };

    private static DateTime ToWholeSecondsUtc(DateTime time, string what)
    {
        var utc = ToUtc(time);
        if (utc < DateTime.UnixEpoch)
            throw new MissionKeyException($"the {what} must be after 1970-01-01");
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    public bool Equals(MissionKey? other) =>
        other is not null &&
        CryptographicOperations.FixedTimeEquals(_key, other._key) &&
        Mission == other.Mission && Team == other.Team && MaxHops == other.MaxHops && Expires == other.Expires &&
        (_previous is null
            ? other._previous is null
            : other._previous is not null && CryptographicOperations.FixedTimeEquals(_previous, other._previous)) &&
        PreviousValidUntil == other.PreviousValidUntil;

    public override int GetHashCode() => HashCode.Combine(KeyId, Mission, Team, MaxHops, Expires, PreviousKeyId, PreviousValidUntil);

    // Key material stays out of ToString, and so out of logs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture,
            $"Mission = {Mission}, Team = {Team}, MaxHops = {MaxHops}, Expires = {FormatTime(Expires)}, KeyId = {FormatKeyId(KeyId)}");
        if (PreviousKeyId is { } previousId)
            builder.Append(CultureInfo.InvariantCulture, $", PreviousKeyId = {FormatKeyId(previousId)}, PreviousValidUntil = {FormatTime(PreviousValidUntil!.Value)}");
        return true;
    }
}
