using Akka.Actor;
using Akka.TestKit;
using TakCan.Actors.Device;
using TakCan.Actors.Situation.Chat;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Situation.Chat.ChatProtocol;

namespace TakCan.Actors.Tests.Situation.Chat;

public class ChatActorTests : SituationTestKit
{
    private const string Me = "ANDROID-8f3b2c1d9e0a4b67";
    private const string Hammer = "S-1-5-21-2720623347-3037847324-4167270909-1002";
    private const string Sparrow = "ANDROID-0000000000005a44";
    private static readonly DeviceIdentity Self = new(Me, "VIKING", "Cyan", "Team Member");
    private static readonly CotPoint Here = new(38.889484, -77.035278, 12.345, 4.9, CotPoint.Unknown);
    private static readonly CotSource FromMesh = new(CotSourceKind.Mesh, "mesh", 1, "3f2a");

    private readonly TestProbe _outbound;

    public ChatActorTests() => _outbound = CreateTestProbe("outbound");

    private IActorRef StartChat(string id = "chat", ChatSettings? settings = null) =>
        Sys.ActorOf(ChatActor.Props(id, Self, _outbound.Ref, settings));

    private CotEvent SendAndExpect(IActorRef chat, string room, string text, out string messageId)
    {
        chat.Tell(new SendChat(room, text));
        messageId = ExpectMsg<ChatAccepted>(Soon).MessageId;
        var send = _outbound.ExpectMsg<SendCot>(Soon);
        Assert.True(send.Reliable);
        return send.Event;
    }

    private ChatLog ChatLogOf(IActorRef chat, string? room = null)
    {
        chat.Tell(new GetChatLog(room));
        return ExpectMsg<ChatLog>(Soon);
    }

    private static CotEvent LineFrom(string uid, string callsign, string roomId, string text, string messageId, string? roomName = null) =>
        GeoChatBuilder.Build(uid, callsign, "a-f-G-U-C", roomId, roomName ?? roomId, text, messageId,
            new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc), new CotPoint(1, 2));

    [Fact]
    public void A_line_is_persisted_accepted_and_sent_reliably_as_atak_builds_it()
    {
        var chat = StartChat();
        chat.Tell(new DeviceProtocol.SelfPositionChanged(Here));

        var evt = SendAndExpect(chat, AllChatRooms, "Rally at CP 2 & hold", out var id);

        Assert.Equal("b-t-f", evt.Type);
        Assert.Equal($"GeoChat.{Me}.All Chat Rooms.{id}", evt.Uid);
        Assert.Equal(Here, evt.Point);
        Assert.Equal(evt.Time.AddDays(1), evt.Stale);
        var chatElement = evt.Detail.Chat!;
        Assert.Equal(("RootContactGroup", false, id, AllChatRooms, AllChatRooms, "VIKING"),
            (chatElement.Parent, chatElement.GroupOwner, chatElement.MessageId, chatElement.Chatroom, chatElement.Id, chatElement.SenderCallsign));
        Assert.Equal(new[] { Me, AllChatRooms }, chatElement.ChatGroup!.Uids);
        var link = Assert.Single(evt.Detail.Links);
        Assert.Equal((Me, "a-f-G-U-C", "p-p"), (link.Uid, link.Type, link.Relation));
        Assert.Equal(("BAO.F.ATAK." + Me, AllChatRooms, "Rally at CP 2 & hold"), (evt.Detail.Remarks!.Source, evt.Detail.Remarks.To, evt.Detail.Remarks.Content));

        var line = Assert.Single(ChatLogOf(chat).Messages);
        Assert.Equal((id, AllChatRooms, Me, "VIKING", "Rally at CP 2 & hold", DeliveryState.Sent), (line.MessageId, line.Room, line.SenderUid, line.SenderCallsign, line.Text, line.State));
        Assert.Equal(evt.Time, line.Time);

        // Persisted before the reply: a second incarnation on the journal has it.
        Watch(chat);
        Sys.Stop(chat);
        ExpectTerminated(chat, Soon);
        Assert.Equal(id, Assert.Single(ChatLogOf(StartChat()).Messages).MessageId);
    }

    [Fact]
    public void Lines_that_cannot_be_sent_are_rejected_and_nothing_goes_out()
    {
        var chat = StartChat();
        var refused = new[]
        {
            new SendChat(AllChatRooms, ""),
            new SendChat(AllChatRooms, "   "),
            new SendChat(AllChatRooms, new string('x', 4097)),
            new SendChat("", "hi"),
            new SendChat("Red", "hi"),
            new SendChat("not a uid", "hi"),
            new SendChat(Me, "hi"),
        };
        foreach (var send in refused)
        {
            chat.Tell(send);
            Assert.False(string.IsNullOrEmpty(ExpectMsg<ChatRejected>(Soon).Reason));
        }

        var evt = SendAndExpect(chat, "cyan", new string('y', 4096), out _);
        Assert.Equal("Cyan", evt.Detail.Chat?.Id);
        Assert.Single(ChatLogOf(chat).Messages);
    }

    [Fact]
    public void A_room_line_is_resent_with_backoff_until_any_node_acknowledges_it()
    {
        var chat = StartChat();
        var first = SendAndExpect(chat, AllChatRooms, "anyone?", out var id);

        // 2 s, 4 s, 8 s, 16 s, 32 s, then at most 60 s apart; always the very same event.
        foreach (var wait in new[] { 2, 4, 8, 16, 32, 60, 60 })
        {
            Clock.Advance(TimeSpan.FromSeconds(wait - 1));
            _outbound.ExpectNoMsg(Quiet);
            Clock.Advance(TimeSpan.FromSeconds(1));
            var again = _outbound.ExpectMsg<SendCot>(Soon);
            Assert.Equal(first, again.Event);
            Assert.True(again.Reliable);
        }

        chat.Tell(new AckReceived(AckKey(first), Sparrow, "SPARROW"));
        var line = Assert.Single(ChatLogOf(chat).Messages);
        Assert.Equal(DeliveryState.Delivered, line.State);
        Assert.Equal(new[] { Sparrow }, line.AcknowledgedBy);

        Clock.Advance(TimeSpan.FromMinutes(5));
        _outbound.ExpectNoMsg(Quiet);
        Assert.Equal(id, line.MessageId);
    }

    [Fact]
    public void A_team_line_is_delivered_by_any_node()
    {
        var chat = StartChat();
        var evt = SendAndExpect(chat, "Cyan", "on me", out _);

        chat.Tell(new AckReceived(AckKey(evt), Hammer, "HAMMER"));

        Assert.Equal(DeliveryState.Delivered, Assert.Single(ChatLogOf(chat, "Cyan").Messages).State);
    }

    [Fact]
    public void A_direct_line_is_delivered_only_when_its_recipient_acknowledges_it()
    {
        var chat = StartChat();
        var evt = SendAndExpect(chat, Hammer, "copy", out _);
        Assert.Equal(new[] { Me, Hammer }, evt.Detail.Chat!.ChatGroup!.Uids);
        Assert.Equal(Hammer, evt.Detail.Remarks!.To);

        // A relay passing it on acknowledges too: noted, but the line is not delivered yet and is still resent.
        chat.Tell(new AckReceived(AckKey(evt), Sparrow, "SPARROW"));
        var line = Assert.Single(ChatLogOf(chat).Messages);
        Assert.Equal(DeliveryState.Sent, line.State);
        Assert.Equal(new[] { Sparrow }, line.AcknowledgedBy);
        Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(evt, _outbound.ExpectMsg<SendCot>(Soon).Event);

        chat.Tell(new AckReceived(AckKey(evt), Hammer, "HAMMER"));
        line = Assert.Single(ChatLogOf(chat, Hammer).Messages);
        Assert.Equal(DeliveryState.Delivered, line.State);
        Assert.Equal(new[] { Sparrow, Hammer }, line.AcknowledgedBy);
        Clock.Advance(TimeSpan.FromMinutes(2));
        _outbound.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Own_acks_repeated_acks_and_unknown_keys_change_nothing()
    {
        var chat = StartChat();
        var evt = SendAndExpect(chat, Hammer, "copy", out _);

        chat.Tell(new AckReceived(AckKey(evt), Me, "VIKING"));
        chat.Tell(new AckReceived("GeoChat.x.y.z|1", Hammer, "HAMMER"));
        chat.Tell(new AckReceived(AckKey(evt), Sparrow, "SPARROW"));
        chat.Tell(new AckReceived(AckKey(evt), Sparrow, "SPARROW"));

        var line = Assert.Single(ChatLogOf(chat).Messages);
        Assert.Equal(DeliveryState.Sent, line.State);
        Assert.Equal(new[] { Sparrow }, line.AcknowledgedBy);
    }

    [Fact]
    public void Incoming_lines_are_logged_once_per_message_id()
    {
        var chat = StartChat();
        var line = LineFrom(Hammer, "HAMMER", AllChatRooms, "moving", "m-1");

        chat.Tell(new CotReceived(line, FromMesh));
        chat.Tell(new CotReceived(line, FromMesh));
        chat.Tell(new CotReceived(line with { Time = line.Time.AddSeconds(1) }, new CotSource(CotSourceKind.Server, "tak")));

        var logged = Assert.Single(ChatLogOf(chat).Messages);
        Assert.Equal(("m-1", AllChatRooms, Hammer, "HAMMER", "moving", DeliveryState.Received),
            (logged.MessageId, logged.Room, logged.SenderUid, logged.SenderCallsign, logged.Text, logged.State));
        _outbound.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void Only_rooms_this_device_is_in_and_lines_addressed_to_it_are_logged()
    {
        var chat = StartChat();
        // Our own line coming back (DeviceRoot echoes what it sends; the mesh may loop it).
        var own = SendAndExpect(chat, AllChatRooms, "mine", out _);
        chat.Tell(new CotReceived(own, CotSource.Self));
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", Me, "just you", "m-direct", "VIKING"), FromMesh));
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", Sparrow, "not for you", "m-other", "SPARROW"), FromMesh));
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", "Red", "red team only", "m-red"), FromMesh));
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", "Cyan", "cyan team", "m-cyan"), FromMesh));
        chat.Tell(new CotReceived(CotSamplesForChat.SelfSa, FromMesh));

        var log = ChatLogOf(chat).Messages;
        Assert.Equal(new[] { "mine", "just you", "cyan team" }, log.Select(m => m.Text));
        // A direct line is filed under the conversation with its sender.
        Assert.Equal(Hammer, log[1].Room);
    }

    [Fact]
    public void The_log_is_kept_by_room_in_order()
    {
        var chat = StartChat();
        SendAndExpect(chat, AllChatRooms, "one", out _);
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", Me, "two", "m-2"), FromMesh));
        SendAndExpect(chat, "Cyan", "three", out _);
        SendAndExpect(chat, Hammer, "four", out _);
        chat.Tell(new CotReceived(LineFrom(Sparrow, "SPARROW", AllChatRooms, "five", "m-5"), FromMesh));

        Assert.Equal(new[] { "one", "two", "three", "four", "five" }, ChatLogOf(chat).Messages.Select(m => m.Text));
        Assert.Equal(new[] { "one", "five" }, ChatLogOf(chat, AllChatRooms).Messages.Select(m => m.Text));
        Assert.Equal(new[] { "two", "four" }, ChatLogOf(chat, Hammer).Messages.Select(m => m.Text));
        Assert.Equal(new[] { "three" }, ChatLogOf(chat, "Cyan").Messages.Select(m => m.Text));
        Assert.Empty(ChatLogOf(chat, "Red").Messages);
    }

    [Fact]
    public void After_a_restart_on_the_same_database_unacknowledged_lines_are_resent_unchanged()
    {
        var chat = StartChat();
        var delivered = SendAndExpect(chat, AllChatRooms, "delivered", out _);
        var pending = SendAndExpect(chat, Hammer, "pending", out var pendingId);
        chat.Tell(new AckReceived(AckKey(delivered), Sparrow, "SPARROW"));
        chat.Tell(new AckReceived(AckKey(pending), Sparrow, "SPARROW"));
        var incoming = LineFrom(Hammer, "HAMMER", Me, "received", "m-in");
        chat.Tell(new CotReceived(incoming, FromMesh));
        Assert.Equal(3, ChatLogOf(chat).Messages.Count);
        Watch(chat);
        Sys.Stop(chat);
        ExpectTerminated(chat, Soon);

        var restarted = NewSystemOnSameDatabase();
        var outbound = ProbeIn(restarted);
        var asker = ProbeIn(restarted);
        var again = restarted.ActorOf(ChatActor.Props("chat", Self, outbound.Ref));

        var resent = outbound.ExpectMsg<SendCot>(Soon);
        Assert.Equal(pending, resent.Event);
        Assert.Equal(AckKey(pending), AckKey(resent.Event));
        outbound.ExpectNoMsg(Quiet);
        again.Tell(new CotReceived(incoming, FromMesh), asker.Ref);
        again.Tell(new GetChatLog(), asker.Ref);
        var log = asker.ExpectMsg<ChatLog>(Soon).Messages;
        Assert.Equal(new[] { "delivered", "pending", "received" }, log.Select(m => m.Text));
        Assert.Equal(new[] { DeliveryState.Delivered, DeliveryState.Sent, DeliveryState.Received }, log.Select(m => m.State));
        Assert.Equal(new[] { Sparrow }, log[1].AcknowledgedBy);

        // And the resends go on with backoff in the new incarnation, until the recipient acknowledges.
        ClockOf(restarted).Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(pending, outbound.ExpectMsg<SendCot>(Soon).Event);
        again.Tell(new AckReceived(AckKey(pending), Hammer, "HAMMER"), asker.Ref);
        again.Tell(new GetChatLog(Hammer), asker.Ref);
        Assert.Equal(DeliveryState.Delivered, asker.ExpectMsg<ChatLog>(Soon).Messages.Single(m => m.MessageId == pendingId).State);
        Terminate(restarted);
    }

    [Fact]
    public void Recovery_from_a_snapshot_and_later_events_gives_the_same_log()
    {
        var settings = new ChatSettings { SnapshotEvery = 3 };
        var chat = StartChat("chat-snap", settings);
        var sent = new List<CotEvent>();
        for (var i = 0; i < 4; i++) sent.Add(SendAndExpect(chat, AllChatRooms, $"line {i}", out _));
        chat.Tell(new AckReceived(AckKey(sent[0]), Hammer, "HAMMER"));
        chat.Tell(new AckReceived(AckKey(sent[2]), Hammer, "HAMMER"));
        chat.Tell(new CotReceived(LineFrom(Hammer, "HAMMER", "Cyan", "from hammer", "m-h"), FromMesh));
        var before = ChatLogOf(chat).Messages;
        Watch(chat);
        Sys.Stop(chat);
        ExpectTerminated(chat, Soon);

        var again = StartChat("chat-snap", settings);
        var after = ChatLogOf(again).Messages;

        Assert.Equal(before.Select(Describe), after.Select(Describe));
        var resent = new[] { _outbound.ExpectMsg<SendCot>(Soon).Event, _outbound.ExpectMsg<SendCot>(Soon).Event };
        Assert.Equal(new[] { sent[1], sent[3] }.Select(e => e.Uid).Order(), resent.Select(e => e.Uid).Order());

        static string Describe(ChatMessage m) => $"{m.MessageId} {m.Room} {m.Text} {m.State} {string.Join(',', m.AcknowledgedBy)} {m.Time:O}";
    }

    [Fact]
    public void Killed_under_a_restarting_parent_it_recovers_its_log_and_resumes_its_outbox()
    {
        var parent = Sys.ActorOf(RestartingParent.Props(ChatActor.Props("chat-supervised", Self, _outbound.Ref), "chat"));
        var evt = SendAndExpect(parent, Hammer, "still there?", out var id);
        parent.Tell(new CotReceived(LineFrom(Sparrow, "SPARROW", AllChatRooms, "hello", "m-s"), FromMesh));
        Assert.Equal(2, ChatLogOf(parent).Messages.Count);
        parent.Tell(RestartingParent.GetChild.Instance);
        var child = ExpectMsg<IActorRef>(Soon);

        child.Tell(Kill.Instance);

        // The restarted incarnation resends at once what was not delivered, and has the whole log.
        Assert.Equal(evt, _outbound.ExpectMsg<SendCot>(Soon).Event);
        var log = ChatLogOf(parent).Messages;
        Assert.Equal(new[] { id, "m-s" }, log.Select(m => m.MessageId));
        Assert.Equal(DeliveryState.Sent, log[0].State);
        parent.Tell(new AckReceived(AckKey(evt), Hammer, "HAMMER"));
        Assert.Equal(DeliveryState.Delivered, ChatLogOf(parent, Hammer).Messages.Single().State);
    }
}

internal static class CotSamplesForChat
{
    public static CotEvent SelfSa { get; } = new()
    {
        Uid = "ANDROID-sa",
        Type = "a-f-G-U-C",
        Time = DateTime.UnixEpoch,
        Start = DateTime.UnixEpoch,
        Stale = DateTime.UnixEpoch.AddMinutes(5),
    };
}
