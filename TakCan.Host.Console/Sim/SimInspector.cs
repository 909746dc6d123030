using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Situation.Contacts;
using TakCan.Host.Console.Sim.Time;

namespace TakCan.Host.Console.Sim;

/// <summary>A look inside the simulated devices at the end of a run, through the same messages the local API uses.</summary>
public sealed class SimInspector
{
    private readonly SimDriver _driver;
    private readonly IReadOnlyList<SimNode> _nodes;

    internal SimInspector(SimDriver driver, IReadOnlyList<SimNode> nodes)
    {
        _driver = driver;
        _nodes = nodes;
    }

    /// <summary>The contacts a node's picture holds now.</summary>
    public IReadOnlyList<ContactsProtocol.Contact> ContactsOf(string node)
    {
        var device = _nodes.Single(n => n.Name == node).Device;
        var children = _driver.Await(device.Ask<DeviceProtocol.ChildrenOf>(DeviceProtocol.GetChildren.Instance, TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
        var actor = children.Named["contacts"];
        var list = _driver.Await(actor.Ask<ContactsProtocol.ContactList>(ContactsProtocol.GetContacts.Instance, TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(10));
        return list.Contacts;
    }
}
