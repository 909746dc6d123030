using TakCan.Protocols.Cot;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Device;
using ContactsProtocol = TakCan.Actors.Situation.Contacts.ContactsProtocol;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>
/// Reports this device's own position: consumes an <see cref="ILocationSource"/> and sends the device a self SA
/// (<see cref="DeviceProtocol.SendCot"/>) at ATAK's dynamic rate (specs/device.md, "Self reporting"): every
/// <see cref="SelfReporterSettings.StationaryInterval"/> when standing still; when moving, as soon as the position
/// moved <see cref="SelfReporterSettings.DistanceThreshold"/> or the course turned
/// <see cref="SelfReporterSettings.HeadingThreshold"/> since the last report, but never more often than
/// <see cref="SelfReporterSettings.MinInterval"/>. Every fix also goes to the device as
/// <see cref="DeviceProtocol.SelfPositionChanged"/>, for distances and bearings to contacts.
/// </summary>
/// <remarks>
/// The location stream runs under this actor's materializer and stops with it. When the source completes or fails
/// the last known position keeps being reported at the stationary rate (as ATAK keeps its last fix); sources that
/// can recover (gpsd) retry by themselves.
/// </remarks>
public sealed class SelfReporter : ReceiveActor, IWithTimers
{
    private const string StationaryTimer = "stationary";
    private const string MovingTimer = "moving";

    private readonly SelfReporterSettings _settings;
    private readonly ILocationSource _location;
    private readonly IActorRef _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LocationFix? _latest;
    private LocationFix? _reported;
    private DateTimeOffset _reportedAt;
    private int? _battery;

    public SelfReporter(SelfReporterSettings settings, ILocationSource location, IActorRef device)
    {
        _settings = settings;
        _location = location;
        _device = device;

        Receive<StreamStarted>(_ => Sender.Tell(FixAck.Instance));
        Receive<LocationFix>(fix =>
        {
            Sender.Tell(FixAck.Instance);
            Fixed(fix);
        });
        Receive<StreamEnded>(_ => _log.Info("Location source ended; reporting the last known position"));
        Receive<StreamFailed>(failed => _log.Error(failed.Cause, "Location source failed; reporting the last known position"));
        Receive<ReportNow>(_ => Report());
        Receive<Announce>(_ => AnnounceSoon());
        Receive<BatteryChanged>(changed => _battery = changed.Percent);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SelfReporterSettings settings, ILocationSource location, IActorRef device) =>
        Akka.Actor.Props.Create(() => new SelfReporter(settings, location, device));

    /// <summary>The device's battery level changed (null: unknown); the next self SA carries it.</summary>
    public sealed record BatteryChanged(int? Percent);

    /// <summary>
    /// A neighbour just joined: report now (or as soon as the minimum interval allows) instead of at the next
    /// stationary report, so it sees this device within seconds, as ATAK peers do.
    /// </summary>
    public sealed record Announce
    {
        public static Announce Instance { get; } = new();
    }

    protected override void PreStart() =>
        _location.Fixes().RunWith(
            Sink.ActorRefWithAck<LocationFix>(Self, StreamStarted.Instance, FixAck.Instance, StreamEnded.Instance,
                static cause => new StreamFailed(cause)),
            Context.Materializer());

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    private void Fixed(LocationFix fix)
    {
        _latest = fix;
        if (_reported is null)
        {
            Report();
        }
        else if (Moved(_reported, fix))
        {
            var since = Now - _reportedAt;
            if (since >= _settings.MinInterval) Report();
            else if (!Timers.IsTimerActive(MovingTimer)) Timers.StartSingleTimer(MovingTimer, ReportNow.Instance, _settings.MinInterval - since);
        }

        // Last, after any timer is set: tests (and anything else) can treat it as "this fix is handled".
        _device.Tell(new DeviceProtocol.SelfPositionChanged(new CotPoint(fix.Lat, fix.Lon, fix.Hae ?? CotPoint.Unknown, fix.Ce ?? CotPoint.Unknown)));
    }

    private bool Moved(LocationFix reported, LocationFix fix)
    {
        if (GreatCircle.Distance(reported.Lat, reported.Lon, fix.Lat, fix.Lon) >= _settings.DistanceThreshold) return true;
        return reported.Course is { } before && fix.Course is { } after &&
               (fix.Speed is null || fix.Speed >= _settings.MinSpeedForHeading) &&
               GreatCircle.HeadingDifference(before, after) >= _settings.HeadingThreshold;
    }

    private void AnnounceSoon()
    {
        var wait = _settings.MinInterval - (Now - _reportedAt);
        if (wait <= TimeSpan.Zero) Report();
        else Timers.StartSingleTimer(MovingTimer, ReportNow.Instance, wait);
    }

    private void Report()
    {
        if (_latest is not { } fix) return;
        var now = Now;
        Timers.Cancel(MovingTimer);
        Timers.StartSingleTimer(StationaryTimer, ReportNow.Instance, _settings.StationaryInterval);
        _reported = fix;
        _reportedAt = now;
        var sa = SelfSaBuilder.Build(_settings.Identity, fix, now.UtcDateTime, _settings.Stale, _battery);
        _device.Tell(new DeviceProtocol.SendCot(sa));
    }

    private sealed class ReportNow
    {
        public static ReportNow Instance { get; } = new();
    }

    private sealed class StreamStarted
    {
        public static StreamStarted Instance { get; } = new();
    }

    private sealed class FixAck
    {
        public static FixAck Instance { get; } = new();
    }

    private sealed class StreamEnded
    {
        public static StreamEnded Instance { get; } = new();
    }

    private sealed record StreamFailed(Exception Cause);
}
