using System.Globalization;

namespace TakCan.Protocols.Cot;

/// <summary>Numbers as CoT writes them: invariant culture, shortest round-trip form, Java-style ".0" on whole numbers.</summary>
public static class CotNumber
{
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        // ATAK (Java) writes 9999999.0, not 9999999; keep the look operators and other parsers expect.
        return text.AsSpan().IndexOfAny('.', 'E', 'I') < 0 ? text + ".0" : text;
    }

    public static bool TryFormat(double value, Span<byte> destination, out int written)
    {
        if (double.IsNaN(value))
        {
            written = 3;
            return "NaN"u8.TryCopyTo(destination);
        }

        if (!value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture)) return false;
        if (destination[..written].IndexOfAny((byte)'.', (byte)'E', (byte)'I') >= 0) return true;
        if (written + 2 > destination.Length) return false;
        destination[written++] = (byte)'.';
        destination[written++] = (byte)'0';
        return true;
    }

    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParse(ReadOnlySpan<byte> utf8, out double value) =>
        double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
