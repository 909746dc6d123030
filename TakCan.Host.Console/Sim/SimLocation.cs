using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using TakCan.Actors.Sensors;
using TakCan.Protocols.Gps;

namespace TakCan.Host.Console.Sim;

/// <summary>
/// A simulated device's GPS: the scenario's motion model pushes a fix each tick (stamped with simulated time); the
/// device's self reporter consumes them like any other <see cref="ILocationSource"/>. A restarted device gets the
/// latest fix at once.
/// </summary>
public sealed class SimLocation : ILocationSource
{
    private ISourceQueueWithComplete<LocationFix>? _queue;
    private LocationFix _latest;

    public SimLocation(LocationFix first) => _latest = first;

    public Source<LocationFix, NotUsed> Fixes() =>
        Source.Queue<LocationFix>(16, OverflowStrategy.DropHead)
            .MapMaterializedValue(queue =>
            {
                _queue = queue;
                queue.OfferAsync(_latest);
                return NotUsed.Instance;
            });

    public void Update(LocationFix fix)
    {
        _latest = fix;
        _queue?.OfferAsync(fix);
    }
}
