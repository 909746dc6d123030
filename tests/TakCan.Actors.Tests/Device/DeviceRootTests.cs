using System.Security.Cryptography;
using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Actors.Sensors;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;
using Xunit.Abstractions;

namespace TakCan.Actors.Tests.Device;

/// <summary>Two whole devices (DeviceRoot with every child) on one in-memory mesh link.</summary>
public sealed class DeviceRootTests(ITestOutputHelper output) : SqliteTestKit(output)
{
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public async Task A_device_sees_the_other_as_a_contact_and_its_chat_is_delivered_and_acknowledged()
    {
        var (alpha, alphaChildren) = Start("ALPHA", 45.4215, -75.6972, out var alphaLink);
        var (_, bravoChildren) = Start("BRAVO", 45.4300, -75.6900, out var bravoLink);
        InMemoryMeshTransport.Connect(alphaLink, bravoLink);

        AwaitAssert(() => Assert.Contains(Contacts(bravoChildren), c => c.Callsign == "ALPHA" && c.DistanceMeters > 0), Patience);

        var accepted = await alphaChildren.Named["chat"].Ask<ChatProtocol.ChatAccepted>(
            new ChatProtocol.SendChat(ChatProtocol.AllChatRooms, "moving to phase line BLUE"), Patience);

        AwaitAssert(() => Assert.Contains(ChatLog(bravoChildren), m => m.MessageId == accepted.MessageId && m.SenderCallsign == "ALPHA"), Patience);
        AwaitAssert(() => Assert.Equal(ChatProtocol.DeliveryState.Delivered,
            ChatLog(alphaChildren).Single(m => m.MessageId == accepted.MessageId).State), Patience);
        _ = alpha;
    }

    [Fact]
    public async Task A_situation_actor_that_dies_is_restarted_with_its_state()
    {
        var (_, alphaChildren) = Start("ALPHA", 45.4215, -75.6972, out var alphaLink);
        var (_, bravoChildren) = Start("BRAVO", 45.4300, -75.6900, out var bravoLink);
        InMemoryMeshTransport.Connect(alphaLink, bravoLink);
        AwaitAssert(() => Assert.Contains(Contacts(bravoChildren), c => c.Callsign == "ALPHA"), Patience);

        // The backoff supervisor keeps the name; the contacts actor itself is its child.
        IActorRef contacts = ActorRefs.Nobody;
        await AwaitAssertAsync(async () =>
            contacts = await Sys.ActorSelection(bravoChildren.Named["contacts"].Path / "contacts").ResolveOne(TimeSpan.FromSeconds(1)), Patience);
        Watch(contacts);
        contacts.Tell(Kill.Instance);
        ExpectTerminated(contacts, Patience);

        AwaitAssert(() => Assert.Contains(Contacts(bravoChildren), c => c.Callsign == "ALPHA"), Patience);
    }

    [Fact]
    public void The_situation_actors_sit_under_situation_as_the_architecture_draws_the_tree()
    {
        var (device, children) = Start("ALPHA", 45.4215, -75.6972, out _);

        foreach (var name in new[] { "contacts", "chat", "emergency", "store" })
            Assert.Equal(device.Path / "situation" / name, children.Named[name].Path);
        Assert.Equal(device.Path / "situation", children.Named["situation"].Path);
        Assert.Equal(device.Path / "mesh", children.Mesh.Path);
    }

    private (IActorRef Device, DeviceProtocol.ChildrenOf Children) Start(string callsign, double lat, double lon, out InMemoryMeshTransport link)
    {
        link = new InMemoryMeshTransport(callsign);
        var identity = new DeviceIdentity($"TEST-{callsign}", callsign, "Cyan", "Team Member");
        var settings = new DeviceSettings(identity, new MeshSettings(_keys, NodeId.NewRandom(), "Cyan"), Path.GetTempPath());
        var device = Sys.ActorOf(DeviceRoot.Props(settings, [link],
            DeviceChildren.Standard(identity, new FixedLocationSource(lat, lon, 50), persistencePrefix: callsign + "-")), callsign);
        var children = device.Ask<DeviceProtocol.ChildrenOf>(DeviceProtocol.GetChildren.Instance, Patience).Result;
        return (device, children);
    }

    private static IReadOnlyList<ContactsProtocol.Contact> Contacts(DeviceProtocol.ChildrenOf children) =>
        children.Named["contacts"].Ask<ContactsProtocol.ContactList>(ContactsProtocol.GetContacts.Instance, TimeSpan.FromSeconds(1)).Result.Contacts;

    private static IReadOnlyList<ChatProtocol.ChatMessage> ChatLog(DeviceProtocol.ChildrenOf children) =>
        children.Named["chat"].Ask<ChatProtocol.ChatLog>(new ChatProtocol.GetChatLog(), TimeSpan.FromSeconds(1)).Result.Messages;
}
