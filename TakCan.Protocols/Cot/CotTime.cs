using System.Globalization;

namespace TakCan.Protocols.Cot;

/// <summary>CoT timestamps: ISO 8601 in UTC. Writes ATAK's form (milliseconds, Z); reads the variants seen in the field.</summary>
public static class CotTime
{
    public const int FormattedLength = 24;

    /// <summary>Writes <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (24 bytes) into <paramref name="destination"/>.</summary>
    public static void Format(DateTime value, Span<byte> destination)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        Four(destination, 0, utc.Year);
        destination[4] = (byte)'-';
        Two(destination, 5, utc.Month);
        destination[7] = (byte)'-';
        Two(destination, 8, utc.Day);
        destination[10] = (byte)'T';
        Two(destination, 11, utc.Hour);
        destination[13] = (byte)':';
        Two(destination, 14, utc.Minute);
        destination[16] = (byte)':';
        Two(destination, 17, utc.Second);
        destination[19] = (byte)'.';
        var ms = utc.Millisecond;
        destination[20] = (byte)('0' + ms / 100);
        destination[21] = (byte)('0' + ms / 10 % 10);
        destination[22] = (byte)('0' + ms % 10);
        destination[23] = (byte)'Z';
    }

    public static string Format(DateTime value)
    {
        Span<byte> buffer = stackalloc byte[FormattedLength];
        Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>
    /// Parses a CoT time. The common <c>yyyy-MM-ddTHH:mm:ss[.fraction]Z</c> is read directly; other ISO 8601 forms
    /// (offsets, no fraction) through <see cref="DateTimeOffset"/>. Always returns UTC.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DateTime value)
    {
        if (TryParseFast(utf8, out value)) return true;
        if (utf8.Length > 64)
        {
            value = default;
            return false;
        }

        Span<char> chars = stackalloc char[utf8.Length];
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] > 0x7F)
            {
                value = default;
                return false;
            }

            chars[i] = (char)utf8[i];
        }

        return TryParse(chars, out value);
    }

    public static bool TryParse(ReadOnlySpan<char> text, out DateTime value)
    {
        if (text.Length <= 64)
        {
            Span<byte> bytes = stackalloc byte[text.Length];
            var ascii = true;
            for (var i = 0; i < text.Length && ascii; i++)
            {
                ascii = text[i] <= 0x7F;
                bytes[i] = (byte)text[i];
            }

            if (ascii && TryParseFast(bytes, out value)) return true;
        }

        if (text.Length >= 10 && text.Length <= 64 && char.IsAsciiDigit(text[0]) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed.UtcDateTime;
            return true;
        }

        value = default;
        return false;
    }

    private static bool TryParseFast(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length < 20 || s[^1] != (byte)'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day) ||
            !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;
        long ticks = 0;
        if (s.Length > 20)
        {
            // Fraction: ".d" to ".ddddddd" (100 ns ticks); more digits than ticks can hold are refused, not rounded.
            if (s[19] != '.' || s.Length < 22 || s.Length > 28) return false;
            var scale = TimeSpan.TicksPerSecond;
            for (var i = 20; i < s.Length - 1; i++)
            {
                var d = s[i] - '0';
                if ((uint)d > 9) return false;
                scale /= 10;
                ticks += d * scale;
            }
        }
        else if (s.Length != 20)
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 ||
            minute > 59 || second > 59)
            return false;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }

        return true;
    }

    private static void Two(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + v / 10);
        d[at + 1] = (byte)('0' + v % 10);
    }

    private static void Four(Span<byte> d, int at, int v)
    {
        d[at] = (byte)('0' + v / 1000);
        d[at + 1] = (byte)('0' + v / 100 % 10);
        d[at + 2] = (byte)('0' + v / 10 % 10);
        d[at + 3] = (byte)('0' + v % 10);
    }
}
