using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Sensors;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Tests.Sensors;

/// <summary>The file and fixed location sources, played at high speed on real time.</summary>
public sealed class LocationSourceTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);
    private readonly List<string> _files = [];

    private const string Track = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="TAK Can test" xmlns="http://www.topografix.com/GPX/1/1">
          <trk><trkseg>
            <trkpt lat="38.889484" lon="-77.035278"><ele>5.2</ele><time>2024-05-01T12:00:00Z</time></trkpt>
            <trkpt lat="38.889484" lon="-77.035191"><ele>5.4</ele><time>2024-05-01T12:00:05Z</time></trkpt>
            <trkpt lat="38.889484" lon="-77.035104"><ele>5.5</ele><time>2024-05-01T12:00:10Z</time></trkpt>
            <trkpt lat="38.889484" lon="-77.035017"><ele>5.3</ele><time>2024-05-01T12:00:15Z</time></trkpt>
          </trkseg></trk>
        </gpx>
        """;

    private const string NmeaLog = """
        $GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44
        $GPGGA,123517.00,3853.3690,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63
        $GPRMC,123518.00,A,3853.3698,N,07702.1167,W,2.9,0.0,010524,,,A*43
        $GPGGA,123518.00,3853.3698,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*00
        $GPRMC,123519.00,A,3853.3706,N,07702.1167,W,2.9,0.0,010524,,,A*44
        $GPGGA,123519.00,3853.3706,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63
        """;

    [Fact]
    public void Gpx_replay_honours_the_recorded_gaps_and_loops()
    {
        var probe = new GpxReplaySource(Write(Track, ".gpx"), new ReplaySettings(SpeedUp: 50))
            .Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(6);

        var clock = Stopwatch.StartNew();
        var fixes = Enumerable.Range(0, 6).Select(_ => probe.ExpectNext(Patience)).ToArray();
        clock.Stop();

        Assert.Equal([-77.035278, -77.035191, -77.035104, -77.035017, -77.035278, -77.035191], fixes.Select(f => f.Lon));
        // 3 gaps of 5 s, the loop's 1 s and one more 5 s gap, at 50×: 0.42 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), $"played in {clock.Elapsed}");
        Assert.All(fixes, f => Assert.InRange(f.Time, DateTime.UtcNow.AddSeconds(-10), DateTime.UtcNow));
        Assert.All(fixes, f => Assert.InRange(f.Course!.Value, 89.9, 90.1));
        probe.Cancel();
    }

    [Fact]
    public void Nmea_replay_played_once_completes()
    {
        var probe = new NmeaReplaySource(Write(NmeaLog, ".nmea"), new ReplaySettings(SpeedUp: 20, Loop: false))
            .Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(10);

        var fixes = Enumerable.Range(0, 3).Select(_ => probe.ExpectNext(Patience)).ToArray();
        probe.ExpectComplete();

        Assert.Equal([12.3 - 33.1, null, 12.3 - 33.1], fixes.Select(f => f.Hae is { } h ? Math.Round(h, 6) : (double?)null));
        Assert.All(fixes, f => Assert.Equal(2.9 * 1852 / 3600, f.Speed!.Value, 9));
    }

    [Fact]
    public void A_missing_file_fails_the_stream()
    {
        var probe = new GpxReplaySource(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.gpx"))
            .Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(1);

        Assert.IsType<FileNotFoundException>(probe.ExpectError());
    }

    [Fact]
    public void A_log_without_a_single_fix_fails_the_stream_with_a_clear_message()
    {
        var probe = new NmeaReplaySource(Write("$GPGSV,1,1,00*79\nnot nmea\n", ".nmea"))
            .Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(1);

        var error = Assert.IsType<GpsFormatException>(probe.ExpectError());
        Assert.Contains("no timed positions", error.Message);
    }

    [Fact]
    public void A_refused_gpx_fails_the_stream()
    {
        var path = Write("<!DOCTYPE gpx [<!ENTITY x 'x'>]><gpx version='1.1'/>", ".gpx");
        var probe = new GpxReplaySource(path).Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(1);

        Assert.Contains("DTD", Assert.IsType<GpsFormatException>(probe.ExpectError()).Message);
    }

    [Fact]
    public void Fixed_position_is_emitted_at_once_and_repeated()
    {
        var source = new FixedLocationSource(38.889484, -77.035278, 12.0, TimeSpan.FromMilliseconds(100));
        var probe = source.Fixes().RunWith(this.SinkProbe<LocationFix>(), Sys.Materializer());
        probe.Request(3);

        var fixes = Enumerable.Range(0, 3).Select(_ => probe.ExpectNext(Patience)).ToArray();
        probe.Cancel();

        Assert.All(fixes, f => Assert.Equal((38.889484, -77.035278, 12.0, LocationFix.User), (f.Lat, f.Lon, f.Hae!.Value, f.Source)));
        Assert.True(fixes[2].Time > fixes[0].Time);
    }

    [Fact]
    public void A_fixed_position_must_be_on_earth()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedLocationSource(91, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplaySettings(SpeedUp: 0));
    }

    private string Write(string text, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"takcan-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var file in _files) File.Delete(file);
        base.Dispose(disposing);
    }
}
