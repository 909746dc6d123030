using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TakCan.Protocols.Mesh.Keys;

/// <summary>
/// The text form a mission key travels in between devices (QR code, copy and paste):
/// <c>takcan://mission?v=1&amp;m=…&amp;t=…&amp;h=…&amp;x=…&amp;k=…&amp;c=…</c>. The check value <c>c</c> covers every other
/// parameter as written, so a mistyped or damaged code is refused instead of quietly forming another mission.
/// The rotation fields stay out: a code shares one key. Layout: specs/mesh-keys.md, "Mission key URI".
/// </summary>
public static class MissionKeyUri
{
    public const int Version = 1;
    public const string Prefix = "takcan://mission?";

    public const string WrongCheckMessage =
        "check value does not match: the key was mistyped or the code is damaged; ask for a new code";

    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, the last second DateTime holds

    private static readonly string[] Parameters = ["v", "m", "t", "h", "x", "k", "c"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The URI for <paramref name="key"/>'s current key (never the previous one).</summary>
    public static string Format(MissionKey key)
    {
        var canonical = Canonical(key);
        return $"{Prefix}{canonical}&c={ComputeCheck(canonical)}";
    }

    /// <summary>The 8-hex-digit check value of <paramref name="key"/>'s URI, for people to compare codes by eye.</summary>
    public static string Check(MissionKey key) => ComputeCheck(Canonical(key));

    /// <summary>True when <paramref name="text"/> is meant as a mission key URI (it may still be refused by <see cref="Parse"/>).</summary>
    public static bool LooksLikeUri(string text) => text.TrimStart().StartsWith("takcan:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a mission key URI. Parameters may come in any order. Refuses, with a <see cref="MissionKeyException"/>
    /// a user can act on, a code that is incomplete, damaged (check value), of another version, out of range or expired at <paramref name="now"/>.
    /// </summary>
    public static MissionKey Parse(string uri, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var text = uri.Trim();
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new MissionKeyException($"this is not a TAK Can mission key code: it should start with {Prefix}");

        var values = ReadParameters(text[Prefix.Length..]);
        if (!values.TryGetValue("v", out var version))
            throw new MissionKeyException("the code has no version (v=); it is incomplete, ask for a new code");
        if (version != Version.ToString(CultureInfo.InvariantCulture))
            throw new MissionKeyException($"the code is version '{version}' and this TAK Can reads version {Version} only; update TAK Can or ask for a version {Version} code");
        foreach (var (name, what) in new[] { ("m", "mission"), ("t", "team"), ("h", "maximum hops"), ("x", "expiry"), ("k", "key") })
            if (!values.ContainsKey(name))
                throw new MissionKeyException($"the code is incomplete: the {what} ({name}=) is missing; ask for a new code");
        if (!values.TryGetValue("c", out var check))
            throw new MissionKeyException("the code has no check value (c=), so a typing error could not be caught; ask for a new code");

        var canonical = Canonical(values["m"], values["t"], values["h"], values["x"], values["k"]);
        if (!string.Equals(check, ComputeCheck(canonical), StringComparison.Ordinal))
            throw new MissionKeyException(WrongCheckMessage);

        var key = DecodeKey(values["k"]);
        try
        {
            var hops = ParseNumber(values["h"], "maximum hops");
            if (hops is < MissionKey.MinHops or > MissionKey.MaxHopsLimit)
                throw new MissionKeyException($"the code says maximum hops {hops}; it must be {MissionKey.MinHops} to {MissionKey.MaxHopsLimit}");
            var seconds = ParseNumber(values["x"], "expiry");
            if (seconds > MaxUnixSeconds)
                throw new MissionKeyException("the expiry in the code is past the year 9999; the code is damaged, ask for a new code");
            var expires = DateTime.UnixEpoch.AddSeconds(seconds);
            var missionKey = new MissionKey(key, PercentDecode(values["m"], "mission name"), PercentDecode(values["t"], "team"), (int)hops, expires);
            if (missionKey.IsExpired(now))
                throw new MissionKeyException($"this mission key expired on {MissionKey.FormatTime(missionKey.Expires)}; ask the mission lead for a current code");
            return missionKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>First 4 bytes of SHA-256 over the UTF-8 canonical string, as 8 lowercase hex digits.</summary>
    internal static string ComputeCheck(string canonical)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash.AsSpan(0, 4));
    }

    /// <summary>The string the check covers: the parameters as written in the URI, in this order.</summary>
    internal static string Canonical(string m, string t, string h, string x, string k) =>
        $"v={Version}&m={m}&t={t}&h={h}&x={x}&k={k}";

    private static string Canonical(MissionKey key) =>
        Canonical(
            PercentEncode(key.Mission),
            PercentEncode(key.Team),
            key.MaxHops.ToString(CultureInfo.InvariantCulture),
            ((long)(key.Expires - DateTime.UnixEpoch).TotalSeconds).ToString(CultureInfo.InvariantCulture),
            Base64Url.EncodeToString(key.Key.Span));

    private static Dictionary<string, string> ReadParameters(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in query.Split('&'))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0)
                throw new MissionKeyException($"the code is damaged: '{Shorten(part)}' is not a name=value parameter; ask for a new code");
            var name = part[..equals];
            if (Array.IndexOf(Parameters, name) < 0)
                throw new MissionKeyException($"the code has an unknown parameter '{Shorten(name)}'; it is damaged or from a newer TAK Can, ask for a new code");
            if (!values.TryAdd(name, part[(equals + 1)..]))
                throw new MissionKeyException($"the code has the parameter '{name}' twice; it is damaged, ask for a new code");
        }

        return values;
    }

    private static byte[] DecodeKey(string k)
    {
        const string damaged = "the key in the code is not 32 bytes of base64url; the code is damaged, ask for a new code";
        byte[] key;
        try
        {
            key = Base64Url.DecodeFromChars(k);
        }
        catch (FormatException e)
        {
            throw new MissionKeyException(damaged, e);
        }

        // Only the one canonical spelling: no padding, no stray bits in the last character.
        if (key.Length != MissionKey.KeyLength || Base64Url.EncodeToString(key) != k)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new MissionKeyException(damaged);
        }

        return key;
    }

    private static long ParseNumber(string text, string what)
    {
        // Digits only, no sign or leading zero: one number, one spelling.
        if (text.Length is 0 or > 18 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
            throw new MissionKeyException($"the {what} in the code is not a plain number ('{Shorten(text)}'); the code is damaged, ask for a new code");
        return long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 3986 percent-encoding: unreserved characters as they are, every other UTF-8 byte as %XX (uppercase hex).</summary>
    internal static string PercentEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (IsUnreserved((char)b)) builder.Append((char)b);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static string PercentDecode(string value, string what)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnreserved(c))
            {
                bytes.Add((byte)c);
                continue;
            }

            if (c == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                bytes.Add(byte.Parse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 2;
                continue;
            }

            throw new MissionKeyException($"the {what} in the code is not percent-encoded text; the code is damaged, ask for a new code");
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new MissionKeyException($"the {what} in the code is not valid UTF-8 text; the code is damaged, ask for a new code", e);
        }
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static string Shorten(string text) => text.Length <= 16 ? text : text[..16] + "…";
}
