namespace TakCan.Protocols.Gps;

/// <summary>Reads an NMEA 0183 log (RMC and GGA sentences, any GNSS talker) into fixes; see <see cref="NmeaFixAssembler"/>.</summary>
public static class NmeaReader
{
    /// <exception cref="GpsFormatException">The file is larger than the limits allow.</exception>
    public static FixLog Read(string path, GpsLogLimits? limits = null)
    {
        limits ??= GpsLogLimits.Default;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024);
        if (stream.Length > limits.MaxBytes)
            throw new GpsFormatException($"NMEA file {path} is {stream.Length} bytes, more than the {limits.MaxBytes} allowed");
        using var text = new StreamReader(stream, System.Text.Encoding.ASCII);
        return Read(text, limits);
    }

    public static FixLog ReadText(string nmea, GpsLogLimits? limits = null)
    {
        using var text = new StringReader(nmea);
        return Read(text, limits);
    }

    /// <exception cref="GpsFormatException">The log is longer than the limits allow.</exception>
    public static FixLog Read(TextReader text, GpsLogLimits? limits = null)
    {
        limits ??= GpsLogLimits.Default;
        var assembler = new NmeaFixAssembler(limits.MaxNmeaLineLength);
        var fixes = new List<LocationFix>();
        var read = 0L;
        // Lines are read in bounded pieces: a file without line breaks must not become one huge string.
        var buffer = new char[limits.MaxNmeaLineLength + 1];
        var line = new System.Text.StringBuilder(limits.MaxNmeaLineLength + 1);
        int count;
        while ((count = text.Read(buffer, 0, buffer.Length)) > 0)
        {
            read += count;
            if (read > limits.MaxBytes)
                throw new GpsFormatException($"NMEA log is longer than the {limits.MaxBytes} characters allowed");
            foreach (var c in buffer.AsSpan(0, count))
            {
                if (c is '\n' or '\r')
                {
                    EndLine();
                    continue;
                }

                // Kept one past the limit, so the assembler sees the line is too long and rejects it.
                if (line.Length <= limits.MaxNmeaLineLength) line.Append(c);
            }
        }

        EndLine();
        Add(assembler.Flush());
        return new FixLog(fixes.OrderBy(static f => f.Time).ToArray(), assembler.Rejected);

        void EndLine()
        {
            if (line.Length > 0) Add(assembler.Feed(line.ToString()));
            line.Clear();
        }

        void Add(LocationFix? fix)
        {
            if (fix is null) return;
            if (fixes.Count == limits.MaxFixes) throw new GpsFormatException($"NMEA log has more than {limits.MaxFixes} fixes");
            fixes.Add(fix);
        }
    }
}
