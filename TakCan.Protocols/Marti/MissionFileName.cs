using System.Security.Cryptography;
using System.Text;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// A mission name as one file-name component (the folder of its contents, part of its token's key-store name). A
/// mission name is the server's text and may hold anything, so every character but <c>A–Z a–z 0–9 _ -</c> is written
/// as <c>%XX</c> of its UTF-8 bytes: the result never holds a separator or a dot (so no <c>..</c>), differs for
/// different names, and a plain name stays as it is. Names that would give more than
/// <see cref="MaxLength"/> characters are cut and given a hash of the whole name.
/// </summary>
public static class MissionFileName
{
    public const int MaxLength = 120;

    /// <exception cref="MartiException">The name is empty.</exception>
    public static string For(string missionName)
    {
        ArgumentNullException.ThrowIfNull(missionName);
        if (missionName.Length == 0) throw new MartiException("a mission name cannot be empty");
        var encoded = new StringBuilder(missionName.Length);
        foreach (var b in Encoding.UTF8.GetBytes(missionName))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) encoded.Append(c);
            else encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (encoded.Length <= MaxLength) return encoded.ToString();
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(missionName)))[..32];
        var keep = encoded.ToString(0, MaxLength - digest.Length - 1);
        // Do not end in the middle of a %XX escape.
        var percent = keep.LastIndexOf('%');
        if (percent >= 0 && percent > keep.Length - 3) keep = keep[..percent];
        return $"{keep}~{digest}";
    }
}
