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
    IActorRef Mesh);
