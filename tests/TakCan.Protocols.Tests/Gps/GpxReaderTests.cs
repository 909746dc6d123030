using System.Text;
using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Tests.Gps;

public class GpxReaderTests
{
    private static DateTime Utc(int h, int m, int s, int ms = 0) => new(2024, 5, 1, h, m, s, ms, DateTimeKind.Utc);

    [Fact]
    public void Reads_every_timed_track_and_way_point_in_time_order()
    {
        var log = GpxReader.ReadText(GpsSamples.Walk);

        Assert.Equal(
            [Utc(11, 59, 50), Utc(12, 0, 0), Utc(12, 0, 5), Utc(12, 0, 10), Utc(12, 0, 15, 500), Utc(12, 0, 20)],
            log.Fixes.Select(f => f.Time));
        Assert.Equal(1, log.Rejected); // the way point without a time
        Assert.All(log.Fixes, f => Assert.Equal(DateTimeKind.Utc, f.Time.Kind));
        Assert.All(log.Fixes, f => Assert.Equal(LocationFix.Gps, f.Source));
    }

    [Fact]
    public void Keeps_position_and_elevation()
    {
        var first = GpxReader.ReadText(GpsSamples.Walk).Fixes[1];

        Assert.Equal(38.889484, first.Lat);
        Assert.Equal(-77.035278, first.Lon);
        Assert.Equal(5.2, first.Hae);
        Assert.Null(first.Ce);
    }

    [Fact]
    public void Derives_course_and_speed_from_consecutive_points_where_the_file_has_none()
    {
        var trackOnly = System.Text.RegularExpressions.Regex.Replace(GpsSamples.Walk, "<wpt.*?</wpt>", "",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        var track = GpxReader.ReadText(trackOnly).Fixes;

        // 0.000087° of longitude at 38.89° N is 7.53 m; 5 s apart.
        Assert.InRange(track[1].Speed!.Value, 1.49, 1.52);
        Assert.InRange(track[1].Course!.Value, 89.9, 90.1);
        Assert.InRange(track[0].Speed!.Value, 1.49, 1.52); // the first point takes the first leg
        Assert.InRange(track[3].Speed!.Value, 7.53 / 5.5 - 0.01, 7.53 / 5.5 + 0.01);
    }

    [Fact]
    public void Keeps_course_and_speed_the_file_records_in_an_extension()
    {
        var point = GpxReader.ReadText(GpsSamples.Walk).Fixes[3];

        Assert.Equal(1.6, point.Speed);
        Assert.Equal(91.0, point.Course);
    }

    [Fact]
    public void Reads_gpx_1_0_course_and_speed_and_adds_geoid_height_to_elevation()
    {
        const string gpx10 = """
            <gpx version="1.0" creator="gpsbabel" xmlns="http://www.topografix.com/GPX/1/0">
              <trk><trkseg>
                <trkpt lat="51.5" lon="-0.12"><ele>20</ele><time>2023-10-01T08:00:00Z</time><course>45.5</course><speed>3.25</speed><geoidheight>46.1</geoidheight></trkpt>
              </trkseg></trk>
            </gpx>
            """;

        var fix = Assert.Single(GpxReader.ReadText(gpx10).Fixes);

        Assert.Equal(45.5, fix.Course);
        Assert.Equal(3.25, fix.Speed);
        Assert.Equal(66.1, fix.Hae!.Value, 6);
    }

    [Fact]
    public void Skips_and_counts_points_with_impossible_positions_or_values()
    {
        const string gpx = """
            <gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
              <trkpt lat="91" lon="0"><time>2024-05-01T12:00:00Z</time></trkpt>
              <trkpt lat="NaN" lon="0"><time>2024-05-01T12:00:01Z</time></trkpt>
              <trkpt lon="0"><time>2024-05-01T12:00:02Z</time></trkpt>
              <trkpt lat="1" lon="1"><time>yesterday</time></trkpt>
              <trkpt lat="1" lon="1"><time>2024-05-01T12:00:04Z</time><ele>high</ele></trkpt>
            </trkseg></trk></gpx>
            """;

        var log = GpxReader.ReadText(gpx);

        var fix = Assert.Single(log.Fixes);
        Assert.Null(fix.Hae);
        Assert.Equal(4, log.Rejected);
    }

    [Fact]
    public void Reads_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"takcan-{Guid.NewGuid():N}.gpx");
        File.WriteAllText(path, GpsSamples.Walk);
        try
        {
            Assert.Equal(6, GpxReader.Read(path).Fixes.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- hostile input -------------------------------------------------------------------------------------------

    [Fact]
    public void A_dtd_is_refused_before_any_entity_is_expanded()
    {
        const string laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE gpx [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <gpx version="1.1"><wpt lat="1" lon="1"><time>2024-05-01T12:00:00Z</time><name>&lol3;</name></wpt></gpx>
            """;

        var error = Assert.Throws<GpsFormatException>(() => GpxReader.ReadText(laughs));
        Assert.Contains("DTD", error.Message);
    }

    [Fact]
    public void An_external_entity_is_refused()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE gpx [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <gpx version="1.1"><wpt lat="1" lon="1"><time>2024-05-01T12:00:00Z</time><name>&secret;</name></wpt></gpx>
            """;

        Assert.Throws<GpsFormatException>(() => GpxReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xxe))));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_reading_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"takcan-{Guid.NewGuid():N}.gpx");
        File.WriteAllText(path, GpsSamples.Walk + new string(' ', 4096));
        try
        {
            var error = Assert.Throws<GpsFormatException>(() => GpxReader.Read(path, new GpsLogLimits { MaxBytes = 4096 }));
            Assert.Contains("more than the 4096", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_stream_over_the_size_limit_stops_at_the_limit()
    {
        var huge = new StringBuilder("<gpx version=\"1.1\">");
        while (huge.Length < 200_000) huge.Append("<wpt lat=\"1\" lon=\"1\"><time>2024-05-01T12:00:00Z</time></wpt>");
        huge.Append("</gpx>");

        var error = Assert.Throws<GpsFormatException>(() => GpxReader.ReadText(huge.ToString(), new GpsLogLimits { MaxBytes = 100_000 }));
        Assert.Contains("longer than the 100000", error.Message);
    }

    [Fact]
    public void More_points_than_the_limit_is_refused()
    {
        var gpx = "<gpx version=\"1.1\">" +
                  string.Concat(Enumerable.Repeat("<wpt lat=\"1\" lon=\"1\"><time>2024-05-01T12:00:00Z</time></wpt>", 11)) +
                  "</gpx>";

        var error = Assert.Throws<GpsFormatException>(() => GpxReader.ReadText(gpx, new GpsLogLimits { MaxFixes = 10 }));
        Assert.Contains("more than 10", error.Message);
    }

    [Theory]
    [InlineData("<kml><Placemark/></kml>", "not a GPX")]
    [InlineData("<gpx><trk><trkseg><trkpt lat='1' lon='1'></trkseg></trk></gpx>", "not well-formed")]
    [InlineData("", "not well-formed")]
    [InlineData("GPX? no", "not well-formed")]
    public void Something_that_is_not_gpx_is_refused_with_a_clear_message(string text, string because)
    {
        var error = Assert.Throws<GpsFormatException>(() => GpxReader.ReadText(text));
        Assert.Contains(because, error.Message);
    }

    [Fact]
    public void A_point_with_nested_markup_in_its_time_is_skipped_not_fatal()
    {
        const string gpx = """
            <gpx version="1.1">
              <wpt lat="1" lon="1"><time><b>2024</b></time></wpt>
              <wpt lat="2" lon="2"><time>2024-05-01T12:00:00Z</time></wpt>
            </gpx>
            """;

        var log = GpxReader.ReadText(gpx);

        Assert.Equal(2, Assert.Single(log.Fixes).Lat);
        Assert.Equal(1, log.Rejected);
    }
}
