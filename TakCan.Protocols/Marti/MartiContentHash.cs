using System.Security.Cryptography;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// TAK Server names every content (file) by the SHA-256 of its bytes, 64 hex digits (<c>/Marti/sync/content?hash=</c>).
/// A hash is also a file name on the device, so only that exact form is accepted.
/// </summary>
public static class MartiContentHash
{
    public const int Length = 64;

    /// <summary>True for 64 hex digits, any case.</summary>
    public static bool IsSha256(string? hash) => hash is { Length: Length } && hash.All(char.IsAsciiHexDigit);

    /// <summary>The hash in lower case, as TAK Server writes it.</summary>
    /// <exception cref="MartiException">Not 64 hex digits.</exception>
    public static string Normalize(string hash) => IsSha256(hash)
        ? hash.ToLowerInvariant()
        : throw new MartiException($"'{Shorten(hash)}' is not a content hash: TAK Server names contents by their SHA-256, 64 hex digits");

    /// <summary>The SHA-256 of <paramref name="content"/>, lower-case hex.</summary>
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>True when <paramref name="content"/> is what <paramref name="hash"/> names.</summary>
    public static bool Matches(ReadOnlySpan<byte> content, string hash)
    {
        if (!IsSha256(hash)) return false;
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Convert.FromHexString(hash, expected, out _, out _);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, actual);
        return expected.SequenceEqual(actual);
    }

    internal static string Shorten(string? text) =>
        text is null ? "" : text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
