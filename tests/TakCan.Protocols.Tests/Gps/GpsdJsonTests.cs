using System.Text;
using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Tests.Gps;

public class GpsdJsonTests
{
    private static readonly DateTime Received = new(2024, 5, 1, 12, 0, 9, DateTimeKind.Utc);

    private static LocationFix? Read(string line) =>
        GpsdJson.TryReadFix(Encoding.UTF8.GetBytes(line), Received, out var fix) ? fix : null;

    [Fact]
    public void A_3d_tpv_becomes_a_fix_with_height_course_speed_and_error()
    {
        var fix = Read("""{"class":"TPV","device":"/dev/ttyACM0","mode":3,"time":"2024-05-01T12:00:03.000Z","ept":0.005,"lat":38.889484,"lon":-77.035278,"altHAE":12.345,"altMSL":45.445,"alt":45.445,"epx":3.2,"epy":4.9,"epv":8.1,"track":271.5,"magtrack":260.4,"speed":1.35,"climb":0.0,"eps":0.5}""");

        Assert.NotNull(fix);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 3, DateTimeKind.Utc), fix.Time);
        Assert.Equal(38.889484, fix.Lat);
        Assert.Equal(-77.035278, fix.Lon);
        Assert.Equal(12.345, fix.Hae);
        Assert.Equal(271.5, fix.Course);
        Assert.Equal(1.35, fix.Speed);
        Assert.Equal(4.9, fix.Ce);
        Assert.Equal(LocationFix.Gps, fix.Source);
    }

    [Fact]
    public void Older_gpsd_without_alt_hae_gives_alt()
    {
        Assert.Equal(45.4, Read("""{"class":"TPV","mode":3,"lat":1.0,"lon":2.0,"alt":45.4}""")!.Hae);
    }

    [Fact]
    public void A_2d_fix_has_no_height_and_a_missing_time_is_the_time_received()
    {
        var fix = Read("""{"class":"TPV","mode":2,"lat":1.0,"lon":2.0,"altHAE":999.0,"eph":7.5}""");

        Assert.NotNull(fix);
        Assert.Null(fix.Hae);
        Assert.Equal(7.5, fix.Ce);
        Assert.Equal(Received, fix.Time);
    }

    [Theory]
    [InlineData("""{"class":"TPV","device":"/dev/ttyACM0","mode":1}""")]
    [InlineData("""{"class":"TPV","mode":0,"lat":1.0,"lon":2.0}""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":1.0}""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":"1.0","lon":"2.0"}""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":91.0,"lon":2.0}""")]
    [InlineData("""{"class":"SKY","device":"/dev/ttyACM0","satellites":[{"PRN":5,"el":30,"az":300,"ss":38,"used":true}],"note":"TPV"}""")]
    [InlineData("""{"class":"VERSION","release":"3.25","rev":"3.25","proto_major":3,"proto_minor":15}""")]
    [InlineData("""{"class":"TPV","mode":3,"lat":1.0,"lon":""")]
    [InlineData("""["TPV"]""")]
    [InlineData("not json at all, \"TPV\"")]
    [InlineData("")]
    public void Anything_but_a_tpv_with_a_fix_is_no_fix(string line)
    {
        Assert.Null(Read(line));
    }

    [Fact]
    public void Deeply_nested_json_is_no_fix_not_a_crash()
    {
        var line = "{\"class\":\"TPV\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        Assert.Null(Read(line));
    }

    [Fact]
    public void The_watch_command_asks_for_json_reports()
    {
        Assert.Equal("?WATCH={\"enable\":true,\"json\":true}\n", Encoding.ASCII.GetString(GpsdJson.WatchCommand.Span));
    }
}
