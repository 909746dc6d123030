using TakCan.Protocols.Gps;

namespace TakCan.Protocols.Tests.Gps;

public class GreatCircleTests
{
    [Fact]
    public void One_minute_of_latitude_is_about_one_nautical_mile()
    {
        Assert.InRange(GreatCircle.Distance(45, 10, 45 + 1.0 / 60, 10), 1852.0, 1854.5);
    }

    [Fact]
    public void Destination_then_distance_and_bearing_give_back_what_went_in()
    {
        var (lat, lon) = GreatCircle.Destination(38.889484, -77.035278, 37.0, 250.0);

        Assert.Equal(250.0, GreatCircle.Distance(38.889484, -77.035278, lat, lon), 6);
        Assert.Equal(37.0, GreatCircle.Bearing(38.889484, -77.035278, lat, lon), 4);
    }

    [Theory]
    [InlineData(350, 10, 20)]
    [InlineData(10, 350, 20)]
    [InlineData(0, 180, 180)]
    [InlineData(90, 90, 0)]
    [InlineData(-10, 10, 20)]
    [InlineData(720, 15, 15)]
    public void Heading_difference_takes_the_short_way_round(double a, double b, double expected)
    {
        Assert.Equal(expected, GreatCircle.HeadingDifference(a, b), 9);
    }

    [Fact]
    public void Fill_keeps_recorded_values_and_keeps_the_last_course_when_standing_still()
    {
        var t = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var (lat1, lon1) = GreatCircle.Destination(1, 1, 0, 10);
        var fixes = new[]
        {
            new LocationFix(t, 1, 1),
            new LocationFix(t.AddSeconds(5), lat1, lon1),
            new LocationFix(t.AddSeconds(10), lat1, lon1),
            new LocationFix(t.AddSeconds(15), lat1, lon1, Course: 123, Speed: 9),
        };

        var filled = FixKinematics.FillCourseAndSpeed(fixes);

        Assert.Equal(0, filled[0].Course!.Value, 6);
        Assert.Equal(2, filled[1].Speed!.Value, 6);
        Assert.Equal(0, filled[2].Speed);
        Assert.Equal(0, filled[2].Course!.Value, 6);
        Assert.Equal(123, filled[3].Course);
        Assert.Equal(9, filled[3].Speed);
    }
}
