using Akka.Actor;
using TakCan.Actors.Servers;

namespace TakCan.Actors.Tests.Bridge;

/// <summary>
/// Stands in for the device's <c>servers</c> part: lists the given entries, and has a <c>server-NAME</c> child per entry
/// that hands what the bridge sends it to <paramref name="uploads"/> as <see cref="Uploaded"/>.
/// </summary>
internal sealed class FakeServers : ReceiveActor
{
    public FakeServers(IReadOnlyList<ServerEntry> entries, IActorRef uploads)
    {
        foreach (var entry in entries)
        {
            var name = entry.Name;
            Context.ActorOf(Props.Create(() => new Link(name, uploads)), "server-" + name);
        }

        Receive<ServersProtocol.ListServers>(_ =>
            Sender.Tell(new ServersProtocol.ServerList(entries.Select(static e => new ServersProtocol.ConfiguredServer(e, null, null)).ToArray())));
    }

    public sealed record Uploaded(string Server, TakCan.Protocols.Cot.CotEvent Event);

    private sealed class Link : ReceiveActor
    {
        public Link(string name, IActorRef uploads) =>
            Receive<ServerLinkProtocol.SendToServer>(send => uploads.Tell(new Uploaded(name, send.Event)));
    }
}
