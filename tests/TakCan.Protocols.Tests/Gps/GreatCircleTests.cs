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

    [Fact]
    public void Lands_End_to_John_o_Groats_matches_the_published_worked_example()
    {
        // movable-type.co.uk "Calculate distance, bearing and more between Latitude/Longitude points":
        // 50°03′59″N 005°42′53″W → 58°38′38″N 003°04′12″W is 968.9 km, initial bearing 009°07′11″.
        var (lat1, lon1) = (50 + 3 / 60.0 + 59 / 3600.0, -(5 + 42 / 60.0 + 53 / 3600.0));
        var (lat2, lon2) = (58 + 38 / 60.0 + 38 / 3600.0, -(3 + 4 / 60.0 + 12 / 3600.0));

        Assert.Equal(968.9, GreatCircle.Distance(lat1, lon1, lat2, lon2) / 1000, precision: 1);
        Assert.Equal(9 + 7 / 60.0 + 11 / 3600.0, GreatCircle.Bearing(lat1, lon1, lat2, lon2), 0.001);
    }

    [Fact]
    public void Ottawa_to_Montreal_agrees_with_an_independent_vector_computation()
    {
        var (distance, bearing) = ByVectors(45.4215, -75.6972, 45.5017, -73.5673);

        Assert.InRange(distance, 165_000, 167_000);
        Assert.InRange(bearing, 85, 87); // Montreal is nearly due east of Ottawa, a little north
        Assert.Equal(distance, GreatCircle.Distance(45.4215, -75.6972, 45.5017, -73.5673), 0.01);
        Assert.Equal(bearing, GreatCircle.Bearing(45.4215, -75.6972, 45.5017, -73.5673), 1e-6);
    }

    [Theory]
    [InlineData(0, 0, 1, 0, 0)]
    [InlineData(0, 0, 0, 1, 90)]
    [InlineData(0, 0, -1, 0, 180)]
    [InlineData(0, 0, 0, -1, 270)]
    [InlineData(45, 179.5, 45, -179.5, 89.646)]
    public void Bearings_are_degrees_true_in_0_to_360(double lat1, double lon1, double lat2, double lon2, double expected)
    {
        Assert.Equal(expected, GreatCircle.Bearing(lat1, lon1, lat2, lon2), 0.001);
        Assert.Equal(ByVectors(lat1, lon1, lat2, lon2).Distance, GreatCircle.Distance(lat1, lon1, lat2, lon2), 0.01);
    }

    [Fact]
    public void The_same_point_is_zero_metres_away()
    {
        Assert.Equal(0, GreatCircle.Distance(45.4215, -75.6972, 45.4215, -75.6972));
    }

    // n-vectors (Gade 2010): distance from the angle between the two unit vectors, bearing from the great
    // circle's direction at the start projected on the local north and east.
    private static (double Distance, double Bearing) ByVectors(double lat1, double lon1, double lat2, double lon2)
    {
        var a = Unit(lat1, lon1);
        var b = Unit(lat2, lon2);
        var normal = Cross(a, b);
        var angle = Math.Atan2(Length(normal), Dot(a, b));
        var direction = Cross(normal, a);
        var (phi, lambda) = (lat1 * Math.PI / 180, lon1 * Math.PI / 180);
        var north = (-Math.Sin(phi) * Math.Cos(lambda), -Math.Sin(phi) * Math.Sin(lambda), Math.Cos(phi));
        var east = (-Math.Sin(lambda), Math.Cos(lambda), 0.0);
        var bearing = Math.Atan2(Dot(direction, east), Dot(direction, north)) * 180 / Math.PI;
        return (angle * GreatCircle.EarthRadius, (bearing + 360) % 360);
    }

    private static (double X, double Y, double Z) Unit(double lat, double lon)
    {
        var (phi, lambda) = (lat * Math.PI / 180, lon * Math.PI / 180);
        return (Math.Cos(phi) * Math.Cos(lambda), Math.Cos(phi) * Math.Sin(lambda), Math.Sin(phi));
    }

    private static (double X, double Y, double Z) Cross((double X, double Y, double Z) u, (double X, double Y, double Z) v) =>
        (u.Y * v.Z - u.Z * v.Y, u.Z * v.X - u.X * v.Z, u.X * v.Y - u.Y * v.X);

    private static double Dot((double X, double Y, double Z) u, (double X, double Y, double Z) v) => u.X * v.X + u.Y * v.Y + u.Z * v.Z;

    private static double Length((double X, double Y, double Z) u) => Math.Sqrt(Dot(u, u));
}
