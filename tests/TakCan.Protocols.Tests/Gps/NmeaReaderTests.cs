using System.Text;
using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Tests.Gps;

public class NmeaReaderTests
{
    private const double Knot = 1852.0 / 3600.0;

    [Fact]
    public void Reads_one_fix_per_epoch_from_rmc_and_gga()
    {
        var log = NmeaReader.ReadText(GpsSamples.Log);

        Assert.Equal(
            Enumerable.Range(17, 5).Select(s => new DateTime(2024, 5, 1, 12, 35, s, DateTimeKind.Utc)),
            log.Fixes.Select(f => f.Time));
    }

    [Fact]
    public void Counts_bad_checksums_garbage_truncated_and_malformed_sentences()
    {
        // The corrupted GGA, the serial noise, the truncated RMC and the RMC at latitude 99°.
        Assert.Equal(4, NmeaReader.ReadText(GpsSamples.Log).Rejected);
    }

    [Fact]
    public void Merges_position_speed_and_course_of_rmc_with_altitude_of_gga()
    {
        var fix = NmeaReader.ReadText(GpsSamples.Log).Fixes[0];

        Assert.Equal(38 + 53.3690 / 60, fix.Lat, 9);
        Assert.Equal(-(77 + 2.1167 / 60), fix.Lon, 9);
        Assert.Equal(2.9 * Knot, fix.Speed!.Value, 9);
        Assert.Equal(0.0, fix.Course);
        // GGA altitude is above mean sea level; adding the geoid separation gives height above the ellipsoid.
        Assert.Equal(12.3 - 33.1, fix.Hae!.Value, 9);
        Assert.Equal(LocationFix.Gps, fix.Source);
    }

    [Fact]
    public void An_epoch_whose_gga_failed_its_checksum_still_gives_the_rmc_fix_without_altitude()
    {
        var fix = NmeaReader.ReadText(GpsSamples.Log).Fixes[1];

        Assert.Equal(38 + 53.3698 / 60, fix.Lat, 9);
        Assert.Null(fix.Hae);
    }

    [Fact]
    public void Any_gnss_talker_is_read()
    {
        var fix = NmeaReader.ReadText(GpsSamples.Log).Fixes[4];

        Assert.Equal(38 + 53.3722 / 60, fix.Lat, 9);
        Assert.Equal(-20.8, fix.Hae!.Value, 9);
    }

    [Fact]
    public void A_gga_only_epoch_after_midnight_is_dated_the_next_day()
    {
        const string log = """
            $GPRMC,235959.00,A,3853.3690,N,07702.1167,W,0.0,,311224,,,A*66
            $GPGGA,000000.00,3853.3690,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*60
            """;

        var fixes = NmeaReader.ReadText(log).Fixes;

        Assert.Equal(new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc), fixes[0].Time);
        Assert.Null(fixes[0].Course);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), fixes[1].Time);
    }

    [Fact]
    public void Gga_before_any_rmc_has_no_date_and_gives_no_fix()
    {
        var log = NmeaReader.ReadText("$GPGGA,123517.00,3853.3690,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63");

        Assert.Empty(log.Fixes);
        Assert.Equal(0, log.Rejected);
    }

    [Fact]
    public void A_live_stream_gets_each_fix_as_soon_as_its_epoch_has_both_sentences()
    {
        var assembler = new NmeaFixAssembler();

        Assert.Null(assembler.Feed("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44"));
        var fix = assembler.Feed("$GPGGA,123517.00,3853.3690,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63");

        Assert.NotNull(fix);
        Assert.Null(assembler.Flush());
    }

    [Theory]
    [InlineData("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44", true)]
    [InlineData("$gprmc,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44", false)]
    [InlineData("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*4", false)]
    [InlineData("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A", false)]
    [InlineData("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*4G", false)]
    [InlineData("2024-05-01 12:35:17 $GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44", true)]
    [InlineData("$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44\r", true)]
    [InlineData("", false)]
    [InlineData("$", false)]
    [InlineData("*", false)]
    [InlineData("$*00", false)]
    public void Sentences_are_accepted_only_with_a_matching_checksum(string line, bool accepted)
    {
        Assert.Equal(accepted, NmeaSentence.TryParse(line, 256, out _));
    }

    [Fact]
    public void Checksum_is_the_xor_of_the_body()
    {
        Assert.Equal("44", NmeaSentence.Checksum("GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A"));
    }

    [Theory]
    [InlineData("GPRMC,123517.00,A,3853.3690,X,07702.1167,W,2.9,0.0,010524,,,A")] // hemisphere
    [InlineData("GPRMC,123517.00,A,3853.3690,N,18102.1167,W,2.9,0.0,010524,,,A")] // longitude > 180
    [InlineData("GPRMC,123517.00,A,3875.3690,N,07702.1167,W,2.9,0.0,010524,,,A")] // 75 minutes
    [InlineData("GPRMC,123517.00,A,-3853.369,N,07702.1167,W,2.9,0.0,010524,,,A")] // sign
    [InlineData("GPRMC,253517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A")] // hour 25
    [InlineData("GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,310224,,,A")] // 31 February
    [InlineData("GPRMC,123517.00,A,3853.3690,N,07702.1167,W,-2.9,0.0,010524,,,A")] // negative speed
    [InlineData("GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,400,010524,,,A")] // course
    [InlineData("GPRMC,123517.00,Q,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A")] // status
    [InlineData("GPRMC,12:35:17,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A")] // time
    [InlineData("GPGGA,123517.00,3853.3690,N,07702.1167,W,one,09,0.9,12.3,M,-33.1,M,,")] // quality
    [InlineData("GPGGA,123517.00,3853.3690,N,07702.1167,W,1,09,0.9,1e999,M,-33.1,M,,")] // altitude
    [InlineData("GPGGA")] // no fields at all
    public void Malformed_fields_behind_a_valid_checksum_are_rejected_not_thrown(string body)
    {
        var assembler = new NmeaFixAssembler();

        Assert.Null(assembler.Feed($"${body}*{NmeaSentence.Checksum(body)}"));
        Assert.Null(assembler.Flush());
        Assert.Equal(1, assembler.Rejected);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        const string alphabet = "$GPRMCGA,.*0123456789ANSEWV\r";
        var random = new Random(7);
        var assembler = new NmeaFixAssembler();
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            var line = new string(chars);
            assembler.Feed(line);
            // Some with a correct checksum, so the field parsers see garbage too.
            var body = "GPRMC," + line.Replace("*", "").Replace("$", "");
            assembler.Feed($"${body}*{NmeaSentence.Checksum(body)}");
        }

        assembler.Flush();
        Assert.True(assembler.Rejected > 0);
    }

    [Fact]
    public void An_overlong_line_is_rejected_and_the_next_one_read()
    {
        var log = new string('A', 100_000) + "\n$GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44\n";

        var result = NmeaReader.ReadText(log);

        Assert.Single(result.Fixes);
        Assert.Equal(1, result.Rejected);
    }

    [Fact]
    public void A_log_over_the_size_limit_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"takcan-{Guid.NewGuid():N}.nmea");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(GpsSamples.Log + "\n", 20)), Encoding.ASCII);
        try
        {
            Assert.Equal(100, NmeaReader.Read(path).Fixes.Count);
            var error = Assert.Throws<GpsFormatException>(() => NmeaReader.Read(path, new GpsLogLimits { MaxBytes = 1000 }));
            Assert.Contains("more than the 1000", error.Message);
            Assert.Throws<GpsFormatException>(() => NmeaReader.Read(new StringReader(File.ReadAllText(path)), new GpsLogLimits { MaxBytes = 1000 }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
