using TakCan.Actors.Device;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Sensors;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Gps;
using static TakCan.Actors.Device.DeviceProtocol;
using ContactsProtocol = TakCan.Actors.Situation.Contacts.ContactsProtocol;

namespace TakCan.Actors.Tests.Sensors;

/// <summary>ATAK's dynamic self-report rate (specs/device.md, "Self reporting"), on virtual time.</summary>
public class SelfReporterTests() : TestKit("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
{
    private const double StartLat = 38.889484;
    private const double StartLon = -77.035278;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);
    private static readonly SelfSaBuilder.Identity Viking = new("TAKCAN-viking", "VIKING", "Cyan", "Team Lead");

    private TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    [Fact]
    public async Task Standing_still_reports_once_every_30_seconds()
    {
        var (device, location) = Start();

        await location.Offer(Fix(0, 0));
        var first = Assert.Single(UntilFixHandled(device));

        Clock.Advance(TimeSpan.FromSeconds(29));
        device.ExpectNoMsg(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = device.ExpectMsg<SendCot>(Patience);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var third = device.ExpectMsg<SendCot>(Patience);

        Assert.Equal(TimeSpan.FromSeconds(30), second.Event.Time - first.Event.Time);
        Assert.Equal(TimeSpan.FromSeconds(30), third.Event.Time - second.Event.Time);
        Assert.All(new[] { first, second, third }, sa => Assert.Equal(TimeSpan.FromSeconds(90), sa.Event.Stale - sa.Event.Time));
    }

    [Fact]
    public async Task Moving_fast_reports_every_2_seconds_and_never_faster()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0, course: 90, speed: 20));
        var reports = UntilFixHandled(device);

        // 20 m/s east, a fix a second: every fix is past the 10 m threshold.
        for (var second = 1; second <= 10; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await location.Offer(Fix(20 * second, 90, course: 90, speed: 20));
            reports.AddRange(UntilFixHandled(device));
        }

        var times = reports.Select(r => r.Event.Time).ToArray();
        Assert.Equal(6, times.Length); // at 0, 2, 4, 6, 8 and 10 s
        Assert.All(times.Skip(1).Select((time, i) => time - times[i]), gap => Assert.Equal(TimeSpan.FromSeconds(2), gap));
        var longitudes = reports.Select(r => r.Event.Point.Lon).ToArray();
        Assert.Equal(longitudes.Order(), longitudes);
        Assert.All(reports.Skip(1), r => Assert.Equal(20, r.Event.Detail.Track!.Speed));
    }

    [Fact]
    public async Task Moves_under_10_metres_wait_for_the_stationary_report()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0));
        Assert.Single(UntilFixHandled(device));

        // GPS wander around the start, up to 8 m away, for 28 s.
        for (var second = 2; second <= 28; second += 2)
        {
            Clock.Advance(TimeSpan.FromSeconds(2));
            await location.Offer(Fix(second % 4 == 0 ? 8 : 4, second * 37 % 360));
            Assert.Empty(UntilFixHandled(device));
        }

        Clock.Advance(TimeSpan.FromSeconds(2));
        device.ExpectMsg<SendCot>(Patience);
    }

    [Fact]
    public async Task A_slow_walk_is_reported_every_10_metres()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0, course: 0, speed: 1.5));
        Assert.Single(UntilFixHandled(device));
        var reportedAt = new List<int>();

        for (var second = 1; second <= 20; second++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await location.Offer(Fix(1.5 * second, 0, course: 0, speed: 1.5));
            if (UntilFixHandled(device).Count > 0) reportedAt.Add(second);
        }

        // 1.5 m/s: 10.5 m after 7 s, then 7 s after each report.
        Assert.Equal([7, 14], reportedAt);
    }

    [Fact]
    public async Task A_turn_of_15_degrees_is_reported_within_2_seconds_and_a_smaller_one_is_not()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0, course: 0, speed: 1));
        Assert.Single(UntilFixHandled(device));

        Clock.Advance(TimeSpan.FromSeconds(1));
        await location.Offer(Fix(1, 0, course: 20, speed: 1));
        Assert.Empty(UntilFixHandled(device));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var turn = device.ExpectMsg<SendCot>(Patience);
        Assert.Equal(20, turn.Event.Detail.Track!.Course);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await location.Offer(Fix(2, 10, course: 30, speed: 1));
        Assert.Empty(UntilFixHandled(device));
        Clock.Advance(TimeSpan.FromSeconds(5));
        device.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task A_course_that_wanders_while_standing_still_is_not_a_turn()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0, course: 0, speed: 0.1));
        Assert.Single(UntilFixHandled(device));

        Clock.Advance(TimeSpan.FromSeconds(3));
        await location.Offer(Fix(0.5, 180, course: 180, speed: 0.1));

        Assert.Empty(UntilFixHandled(device));
    }

    [Fact]
    public async Task The_report_is_an_atak_style_self_sa_and_every_fix_updates_the_self_position()
    {
        var (device, location) = Start();
        var reporter = ActorOfReporter(device, location);
        reporter.Tell(new SelfReporter.BatteryChanged(64));
        var (lat, lon) = GreatCircle.Destination(StartLat, StartLon, 45, 3);

        await location.Offer(new LocationFix(DateTime.UtcNow, lat, lon, 12.5, 45, 1.2, 3.5));

        var sa = device.ExpectMsg<SendCot>(Patience);
        var position = device.ExpectMsg<DeviceProtocol.SelfPositionChanged>(Patience);
        Assert.Equal((lat, lon), (position.Position.Lat, position.Position.Lon));
        Assert.False(sa.Reliable);
        var evt = sa.Event;
        Assert.Equal("TAKCAN-viking", evt.Uid);
        Assert.Equal("a-f-G-U-C", evt.Type);
        Assert.Equal("m-g", evt.How);
        Assert.Equal(lat, evt.Point.Lat);
        Assert.Equal(lon, evt.Point.Lon);
        Assert.Equal(12.5, evt.Point.Hae);
        Assert.Equal(3.5, evt.Point.Ce);
        var now = Clock.Now.UtcDateTime;
        Assert.InRange(evt.Time, now.AddMilliseconds(-1), now);
        Assert.Equal(evt.Time.AddSeconds(90), evt.Stale);
        Assert.Equal("VIKING", evt.Detail.Contact!.Callsign);
        Assert.Equal("*:-1:stcp", evt.Detail.Contact.Endpoint);
        Assert.Equal(("Cyan", "Team Lead"), (evt.Detail.Group!.Team, evt.Detail.Group.Role));
        Assert.Equal(("TAK Can", "TAK-Can"), (evt.Detail.Takv!.Device, evt.Detail.Takv.Platform));
        Assert.Equal((45.0, 1.2), (evt.Detail.Track!.Course!.Value, evt.Detail.Track.Speed!.Value));
        Assert.Equal(64, evt.Detail.Status!.Battery);
        Assert.Equal(("GPS", "GPS"), (evt.Detail.PrecisionLocation!.GeopointSource, evt.Detail.PrecisionLocation.AltitudeSource));
        Assert.Equal("VIKING", evt.Detail.DroidUid!.Droid);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await location.Offer(new LocationFix(DateTime.UtcNow, lat, lon, 12.5, 45, 0, 3.5));
        var moved = device.ExpectMsg<DeviceProtocol.SelfPositionChanged>(Patience);
        Assert.Equal((lat, lon), (moved.Position.Lat, moved.Position.Lon));
    }

    [Fact]
    public async Task A_longer_stationary_interval_gives_a_longer_stale()
    {
        var (device, location) = Start(new SelfReporterSettings(Viking) { StationaryInterval = TimeSpan.FromMinutes(3) });

        await location.Offer(Fix(0, 0));

        var sa = Assert.Single(UntilFixHandled(device));
        Assert.Equal(TimeSpan.FromMinutes(9), sa.Event.Stale - sa.Event.Time);
    }

    [Fact]
    public async Task The_last_position_is_still_reported_after_the_source_ends()
    {
        var (device, location) = Start();
        await location.Offer(Fix(0, 0));
        Assert.Single(UntilFixHandled(device));

        location.Complete();
        device.ExpectNoMsg(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(StartLat, device.ExpectMsg<SendCot>(Patience).Event.Point.Lat, 9);
    }

    [Fact]
    public void Nothing_is_reported_before_the_first_fix()
    {
        var (device, _) = Start();

        Clock.Advance(TimeSpan.FromMinutes(2));

        device.ExpectNoMsg(Quiet);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private (TestProbe Device, QueueLocation Location) Start(SelfReporterSettings? settings = null)
    {
        var device = CreateTestProbe();
        var location = new QueueLocation(Sys);
        ActorOfReporter(device, location, settings);
        return (device, location);
    }

    private IActorRef ActorOfReporter(TestProbe device, QueueLocation location, SelfReporterSettings? settings = null) =>
        location.Reporter ??= Sys.ActorOf(SelfReporter.Props(settings ?? new SelfReporterSettings(Viking), location, device.Ref));

    /// <summary>A fix <paramref name="metres"/> from the start along <paramref name="bearing"/>.</summary>
    private LocationFix Fix(double metres, double bearing, double? course = null, double? speed = null)
    {
        var (lat, lon) = metres == 0 ? (StartLat, StartLon) : GreatCircle.Destination(StartLat, StartLon, bearing, metres);
        return new LocationFix(Clock.Now.UtcDateTime, lat, lon, 10, course, speed, 5);
    }

    /// <summary>
    /// The reports sent up to the <see cref="DeviceProtocol.SelfPositionChanged"/> that ends the handling of a fix
    /// (including any a timer sent just before the fix arrived).
    /// </summary>
    private static List<SendCot> UntilFixHandled(TestProbe device)
    {
        var reports = new List<SendCot>();
        while (true)
        {
            switch (device.ExpectMsg<object>(Patience))
            {
                case SendCot sa:
                    reports.Add(sa);
                    break;
                case DeviceProtocol.SelfPositionChanged:
                    return reports;
                case var other:
                    throw new InvalidOperationException($"unexpected {other}");
            }
        }
    }

    /// <summary>A location source the test feeds by hand, like a phone host's platform callback would.</summary>
    private sealed class QueueLocation : ILocationSource
    {
        private readonly ISourceQueueWithComplete<LocationFix> _queue;
        private readonly Source<LocationFix, NotUsed> _source;

        public QueueLocation(ActorSystem system) =>
            (_queue, _source) = Source.Queue<LocationFix>(64, OverflowStrategy.Backpressure).PreMaterialize(system.Materializer());

        public IActorRef? Reporter { get; set; }

        public Source<LocationFix, NotUsed> Fixes() => _source;

        public async Task Offer(LocationFix fix) => Assert.Equal(QueueOfferResult.Enqueued.Instance, await _queue.OfferAsync(fix));

        public void Complete() => _queue.Complete();
    }
}
