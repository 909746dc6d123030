namespace TakCan.Protocols.Gps;

/// <summary>
/// One checked NMEA 0183 sentence: <c>$&lt;talker&gt;&lt;type&gt;,&lt;fields&gt;*&lt;hh&gt;</c> where <c>hh</c> is the XOR of every
/// character between <c>$</c> and <c>*</c>, in hex.
/// </summary>
/// <param name="Talker">The talker id, e.g. <c>GP</c> (GPS), <c>GN</c> (combined GNSS), <c>GL</c> (GLONASS).</param>
/// <param name="Type">The sentence type, e.g. <c>RMC</c> or <c>GGA</c>.</param>
/// <param name="Fields">The fields after the address, empty strings for empty fields.</param>
public sealed record NmeaSentence(string Talker, string Type, IReadOnlyList<string> Fields)
{
    /// <summary>
    /// Parses a line. Anything before the last <c>$</c> is ignored (serial noise, or a logger's prefix); a missing or
    /// wrong checksum, a non-ASCII character or an overlong line makes the line unusable.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, int maxLength, out NmeaSentence sentence)
    {
        sentence = null!;
        line = line.Trim();
        if (line.Length > maxLength) return false;
        var start = line.LastIndexOf('$');
        if (start < 0) return false;
        line = line[(start + 1)..];
        var star = line.LastIndexOf('*');
        if (star < 0 || line.Length - star != 3) return false;
        var body = line[..star];
        byte sum = 0;
        foreach (var c in body)
        {
            if (c is < ' ' or > '~') return false;
            sum ^= (byte)c;
        }

        if (!TryHex(line[star + 1], out var high) || !TryHex(line[star + 2], out var low) || sum != (high << 4 | low)) return false;
        var comma = body.IndexOf(',');
        var address = comma < 0 ? body : body[..comma];
        // Standard sentences have a two-letter talker and a three-letter type; proprietary ones ($P…) are not ours.
        if (address.Length != 5 || address[0] == 'P') return false;
        var fields = comma < 0 ? [] : body[(comma + 1)..].ToString().Split(',');
        sentence = new NmeaSentence(address[..2].ToString(), address[2..].ToString(), fields);
        return true;
    }

    /// <summary>The checksum of a sentence body (the text between <c>$</c> and <c>*</c>), as two upper-case hex digits.</summary>
    public static string Checksum(ReadOnlySpan<char> body)
    {
        byte sum = 0;
        foreach (var c in body) sum ^= (byte)c;
        return sum.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The field at <paramref name="index"/>, or an empty string where the sentence is shorter.</summary>
    public string Field(int index) => index < Fields.Count ? Fields[index] : "";

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
