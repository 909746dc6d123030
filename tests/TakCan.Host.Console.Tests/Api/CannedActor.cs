using System.Collections.Concurrent;
using Akka.Actor;

namespace TakCan.Host.Console.Tests.Api;

/// <summary>
/// Stands in for a situation or mesh actor: records what it is asked and answers with <see cref="Reply"/> (no answer
/// when that returns null). A TestProbe with an AutoPilot would do the same; this project does not reference the TestKit.
/// </summary>
internal sealed class CannedActor
{
    public CannedActor(ActorSystem system, string name)
    {
        Ref = system.ActorOf(Props.Create(() => new Responder(this)), name);
    }

    public IActorRef Ref { get; }

    public Func<object, object?> Reply { get; set; } = _ => null;

    public ConcurrentQueue<object> Received { get; } = new();

    private sealed class Responder : ReceiveActor
    {
        public Responder(CannedActor canned)
        {
            ReceiveAny(message =>
            {
                canned.Received.Enqueue(message);
                if (canned.Reply(message) is { } reply) Sender.Tell(reply);
            });
        }
    }
}
