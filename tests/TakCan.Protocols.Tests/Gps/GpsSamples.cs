namespace TakCan.Protocols.Tests.Gps;

/// <summary>Hand-written logs shaped like real receiver output, around the National Mall (Washington, DC).</summary>
internal static class GpsSamples
{
    /// <summary>
    /// A short walk east as a phone tracker writes it (GPX 1.1, 5 s fixes, elevation, one point with a Garmin
    /// speed extension), plus way points: one timed, one without a time.
    /// </summary>
    public const string Walk = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="OsmAnd~ 4.7.10" xmlns="http://www.topografix.com/GPX/1/1"
             xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">
          <metadata>
            <name>Mall walk</name>
            <time>2024-05-01T12:00:00Z</time>
          </metadata>
          <wpt lat="38.889484" lon="-77.035278">
            <time>2024-05-01T11:59:50Z</time>
            <name>Start</name>
          </wpt>
          <wpt lat="38.889900" lon="-77.030000">
            <name>Rally point</name>
          </wpt>
          <trk>
            <name>Mall walk</name>
            <trkseg>
              <trkpt lat="38.889484" lon="-77.035278"><ele>5.2</ele><time>2024-05-01T12:00:00Z</time><hdop>0.9</hdop></trkpt>
              <trkpt lat="38.889484" lon="-77.035191"><ele>5.4</ele><time>2024-05-01T12:00:05Z</time></trkpt>
              <trkpt lat="38.889484" lon="-77.035104"><ele>5.5</ele><time>2024-05-01T12:00:10Z</time>
                <extensions><gpxtpx:TrackPointExtension><gpxtpx:speed>1.6</gpxtpx:speed><gpxtpx:course>91.0</gpxtpx:course></gpxtpx:TrackPointExtension></extensions>
              </trkpt>
              <trkpt lat="38.889484" lon="-77.035017"><ele>5.3</ele><time>2024-05-01T12:00:15.500Z</time></trkpt>
              <trkpt lat="38.889484" lon="-77.034930"><ele>5.1</ele><time>2024-05-01T12:00:20Z</time></trkpt>
            </trkseg>
          </trk>
        </gpx>
        """;

    /// <summary>
    /// A receiver log: a void fix while acquiring, then five epochs of RMC + GGA walking north (GP, then GN talker),
    /// interleaved with a GSV (ignored), a GGA with a corrupted checksum, serial noise, a truncated sentence and an
    /// RMC whose latitude is impossible.
    /// </summary>
    public const string Log = """
        $GPRMC,123516.00,V,,,,,,,010524,,,N*7D
        $GPGGA,123516.00,,,,,0,00,99.99,,,,,,*64
        $GPRMC,123517.00,A,3853.3690,N,07702.1167,W,2.9,0.0,010524,,,A*44
        $GPGGA,123517.00,3853.3690,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63
        $GPGSV,3,1,09,02,45,123,40,05,30,300,38,12,60,045,42,25,15,200,30*7B
        $GPRMC,123518.00,A,3853.3698,N,07702.1167,W,2.9,0.0,010524,,,A*43
        $GPGGA,123518.00,3853.3698,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*00
        $GPRMC,123519.00,A,3853.3706,N,07702.1167,W,2.9,0.0,010524,,,A*44
        $GPGGA,123519.00,3853.3706,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*63
        ��@@@ noise from a cold serial port
        $GNRMC,123520.00,A,3853.3714,N,07702.1167,W,2.9,0.0,010524,,,A*53
        $GNGGA,123520.00,3853.3714,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*74
        $GPRMC,123522.00,A,38
        $GNRMC,123521.00,A,3853.3722,N,07702.1167,W,2.9,0.0,010524,,,A*57

        $GNGGA,123521.00,3853.3722,N,07702.1167,W,1,09,0.9,12.3,M,-33.1,M,,*70
        $GPRMC,123522.00,A,9953.3690,N,07702.1167,W,2.9,0.0,010524,,,A*49
        """;
}
