using TakCan.Actors.Situation.Chat;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Host.Console.Tests.Node;

/// <summary>Three `takcan node` processes meshed over UDP on 127.0.0.1 in a line: A — B — C.</summary>
public sealed class NodeProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string _root = Directory.CreateTempSubdirectory("takcan-nodes-").FullName;
    private NodeProcess _a = null!;
    private NodeProcess _b = null!;
    private NodeProcess _c = null!;

    public async Task InitializeAsync()
    {
        var key = MissionKey.Generate("Line test", "Cyan", 3, DateTime.UtcNow.AddDays(1));
        _a = NodeProcess.Create(_root, "ALPHA", key, 45.4215, -75.6972);
        _b = NodeProcess.Create(_root, "BRAVO", key, 45.4220, -75.6960);
        _c = NodeProcess.Create(_root, "CHARLIE", key, 45.4225, -75.6950);
        _a.Configure(_b);
        _b.Configure(_a, _c);
        _c.Configure(_b);
        await Task.WhenAll(_a.StartAsync(), _b.StartAsync(), _c.StartAsync());
    }

    [Fact]
    public async Task Chat_and_an_emergency_cross_the_line_and_survive_SIGKILL()
    {
        // A's SA reaches C through B: the line is up end to end.
        await Eventually.HoldsAsync(async () =>
            Assert.Contains((await _c.Api.GetContactsAsync()).Contacts, c => c.Uid == _a.Uid), Within);

        var sent = await _a.Api.SendChatAsync(ChatProtocol.AllChatRooms, "ALPHA to all: phase line reached");
        await Eventually.HoldsAsync(async () =>
            Assert.Contains((await _c.Api.GetChatLogAsync()).Messages, m => m.MessageId == sent.MessageId), Within);
        await Eventually.HoldsAsync(async () =>
            Assert.Equal(ChatProtocol.DeliveryState.Delivered,
                (await _a.Api.GetChatLogAsync()).Messages.Single(m => m.MessageId == sent.MessageId).State), Within);

        // B dies while A's emergency is pending; after B comes back the emergency still reaches C and is acknowledged.
        _b.Kill();
        var raised = await _a.Api.RaiseEmergencyAsync("911 Alert");
        await _b.StartAsync();
        await Eventually.HoldsAsync(async () =>
            Assert.Contains((await _c.Api.GetEmergencyStateAsync()).Incoming, e => e.Uid.StartsWith(_a.Uid, StringComparison.Ordinal)), Within);
        await Eventually.HoldsAsync(async () =>
            Assert.NotEmpty((await _a.Api.GetEmergencyStateAsync()).Outbox.Single(o => o.Key == raised.Key).AcknowledgedBy), Within);

        // A SIGKILL loses nothing a node had acknowledged: C still has the chat line and its contacts.
        _c.Kill();
        await _c.StartAsync();
        Assert.Contains((await _c.Api.GetChatLogAsync()).Messages, m => m.MessageId == sent.MessageId);
        Assert.Contains((await _c.Api.GetContactsAsync()).Contacts, c => c.Uid == _a.Uid);

        // And A, killed right after its line was acknowledged, still has it, delivered.
        _a.Kill();
        await _a.StartAsync();
        Assert.Equal(ChatProtocol.DeliveryState.Delivered,
            (await _a.Api.GetChatLogAsync()).Messages.Single(m => m.MessageId == sent.MessageId).State);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { _a, _b, _c })
            if (node is not null)
                await node.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
