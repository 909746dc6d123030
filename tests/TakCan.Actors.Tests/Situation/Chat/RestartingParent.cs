using Akka.Actor;

namespace TakCan.Actors.Tests.Situation;

/// <summary>Stands in for DeviceRoot's supervision of situation/: a child that fails is restarted, and recovers.</summary>
public sealed class RestartingParent : ReceiveActor
{
    public RestartingParent(Props child, string name)
    {
        var created = Context.ActorOf(child, name);
        Receive<GetChild>(_ => Sender.Tell(created));
        ReceiveAny(message => created.Forward(message));
    }

    public static Props Props(Props child, string name) => Akka.Actor.Props.Create(() => new RestartingParent(child, name));

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    public sealed record GetChild
    {
        public static GetChild Instance { get; } = new();
    }
}
