using Akka.Actor;

namespace TakCan.Host.Console.Api;

/// <summary>The node the local API speaks for, and the actors it asks (specs/device.md, "Tree").</summary>
public sealed record ApiTargets(
    ApiNode Node,
    IActorRef Device,
    IActorRef Ui,
    IActorRef Contacts,
    IActorRef Chat,
    IActorRef Emergency,
    IActorRef Mesh)
{
    /// <summary>The device's <c>servers</c> part (specs/server-links.md, "Configured servers"); Nobody: the /api/servers routes answer 503.</summary>
    public IActorRef Servers { get; init; } = ActorRefs.Nobody;

    /// <summary>The device's <c>bridge</c> part (specs/bridge.md); Nobody when bridge mode is off.</summary>
    public IActorRef Bridge { get; init; } = ActorRefs.Nobody;
}
