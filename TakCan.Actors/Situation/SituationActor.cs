using Akka.Actor;
using Akka.Pattern;
using TakCan.Actors.Device;
using static TakCan.Actors.Device.DeviceProtocol;

namespace TakCan.Actors.Situation;

/// <summary>
/// <c>situation/</c> (../shared/ARCHITECTURE.md): the parent of contacts, chat, emergency, the CoT store and whatever
/// else keeps the picture. Every event that enters the device reaches each of them; acknowledgements and the device's
/// own position reach those that asked for them.
/// </summary>
/// <remarks>
/// Supervision: each persistent child sits under a backoff supervisor, because a persistent actor whose journal write or
/// recovery fails stops itself rather than throwing, which no restart strategy sees; the backoff supervisor starts
/// it again and forwards every message to it. Anything else a child throws restarts it: its state comes back from
/// the journal, and one bad event must not take the picture down.
/// </remarks>
public sealed class SituationActor : ReceiveActor
{
    private readonly IReadOnlyList<SituationChild> _children;
    private readonly IActorRef _device;
    private readonly List<IActorRef> _all = new();
    private readonly List<IActorRef> _ackListeners = new();
    private readonly List<IActorRef> _positionListeners = new();
    private readonly Dictionary<string, IActorRef> _named = new();

    public SituationActor(IReadOnlyList<SituationChild> children, IActorRef device)
    {
        _children = children;
        _device = device;
        Receive<CotReceived>(received =>
        {
            foreach (var child in _all) child.Tell(received);
        });
        Receive<AckReceived>(ack =>
        {
            foreach (var child in _ackListeners) child.Tell(ack);
        });
        Receive<SelfPositionChanged>(position =>
        {
            foreach (var child in _positionListeners) child.Tell(position);
        });
        Receive<GetSituation>(_ => Sender.Tell(new SituationChildren(_named)));
    }

    public static Props Props(IReadOnlyList<SituationChild> children, IActorRef device) =>
        Akka.Actor.Props.Create(() => new SituationActor(children, device));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    protected override void PreStart()
    {
        foreach (var (name, props, listensForAcks, followsSelfPosition, persistent) in _children)
        {
            var child = persistent
                ? Context.ActorOf(BackoffSupervisor.Props(
                    Backoff.OnStop(props(_device), name, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)), name)
                : Context.ActorOf(props(_device), name);
            _named[name] = child;
            _all.Add(child);
            if (listensForAcks) _ackListeners.Add(child);
            if (followsSelfPosition) _positionListeners.Add(child);
        }
    }

    /// <summary>Ask for the situation's children by name (the device adds them to its <see cref="ChildrenOf"/>).</summary>
    public sealed record GetSituation
    {
        public static GetSituation Instance { get; } = new();
    }

    public sealed record SituationChildren(IReadOnlyDictionary<string, IActorRef> Named);
}
