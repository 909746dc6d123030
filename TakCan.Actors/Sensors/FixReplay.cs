using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Gps;

namespace TakCan.Actors.Sensors;

/// <summary>Plays a recorded log back as if live, on the stream's scheduler (<see cref="ReplaySchedule"/>).</summary>
internal static class FixReplay
{
    public static Source<LocationFix, NotUsed> Play(Func<FixLog> load, ReplaySettings settings, string name) =>
        Source.Single(NotUsed.Instance)
            .Select(_ => load().Fixes is { Count: > 0 } fixes
                ? fixes
                : throw new GpsFormatException($"{name} has no timed positions to replay"))
            .ConcatMany(fixes => Source.From(ReplaySchedule.Steps(fixes, settings.SpeedUp, settings.Loop, settings.MaxGap))
                .ConcatMany(step => step.Delay > TimeSpan.Zero
                    ? Source.Single(step.Fix).InitialDelay(step.Delay)
                    : Source.Single(step.Fix)))
            // A replay behaves like a live receiver: each fix is stamped with the time it is played.
            .Select(static fix => fix with { Time = DateTime.UtcNow });
}
