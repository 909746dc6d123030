using Akka.Streams;
using Akka.Streams.Stage;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// The plumbing shared by the mesh protocol layers: a BidiShape whose logic sends zero or more elements down
/// (towards the link) and up (towards the device) for each element it takes. Demand is honoured in both
/// directions: a layer takes from above only when the link can take more, and reads from below only when
/// what it produced has gone up. A layer's own frames (handshake, NACKs, retransmissions) queue in front.
/// </summary>
internal abstract class ProtocolLayerLogic<TIn1, TOut1, TIn2, TOut2> : TimerGraphStageLogic
{
    private readonly BidiShape<TIn1, TOut1, TIn2, TOut2> _shape;
    private readonly Queue<TOut1> _down = new();
    private readonly Queue<TOut2> _up = new();
    private bool _aboveFinished;
    private Akka.Actor.IScheduler? _scheduler;

    protected ProtocolLayerLogic(BidiShape<TIn1, TOut1, TIn2, TOut2> shape)
        : base(shape)
    {
        _shape = shape;
        SetHandler(shape.Inlet1, onPush: () =>
        {
            OnFromAbove(Grab(shape.Inlet1));
            Flush();
        }, onUpstreamFinish: () =>
        {
            _aboveFinished = true;
            Flush();
        });
        SetHandler(shape.Outlet1, onPull: Flush, onDownstreamFinish: _ => CompleteStage());
        SetHandler(shape.Inlet2, onPush: () =>
        {
            OnFromBelow(Grab(shape.Inlet2));
            Flush();
        }, onUpstreamFinish: CompleteStage);
        SetHandler(shape.Outlet2, onPull: Flush, onDownstreamFinish: _ => CompleteStage());
    }

    /// <summary>The actor system's clock (virtual in the simulator), for the layers' timeouts and windows.</summary>
    protected TimeSpan Now => (_scheduler ??= ((ActorMaterializer)Materializer).System.Scheduler).MonotonicClock;

    /// <summary>False while the layer must hold back traffic from above (e.g. before the link is authenticated).</summary>
    protected virtual bool AcceptsFromAbove => true;

    public override void PreStart() => Flush();

    protected abstract void OnFromAbove(TIn1 element);

    protected abstract void OnFromBelow(TIn2 element);

    protected void SendDown(TOut1 element) => _down.Enqueue(element);

    protected void SendUp(TOut2 element) => _up.Enqueue(element);

    /// <summary>Moves queued elements on and asks for more where there is room; call after any state change.</summary>
    protected void Flush()
    {
        if (_down.Count > 0 && IsAvailable(_shape.Outlet1)) Push(_shape.Outlet1, _down.Dequeue());
        if (_up.Count > 0 && IsAvailable(_shape.Outlet2)) Push(_shape.Outlet2, _up.Dequeue());
        if (_aboveFinished && _down.Count == 0)
        {
            CompleteStage();
            return;
        }

        if (_down.Count == 0 && IsAvailable(_shape.Outlet1) && AcceptsFromAbove && !HasBeenPulled(_shape.Inlet1) && !IsClosed(_shape.Inlet1))
            Pull(_shape.Inlet1);
        if (_up.Count == 0 && !HasBeenPulled(_shape.Inlet2) && !IsClosed(_shape.Inlet2))
            Pull(_shape.Inlet2);
    }
}
