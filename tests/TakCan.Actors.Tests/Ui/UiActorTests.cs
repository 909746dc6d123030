using System.Threading.Channels;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Ui;
using TakCan.Protocols.Cot;
using static TakCan.Actors.Ui.UiProtocol;

namespace TakCan.Actors.Tests.Ui;

public class UiActorTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public void Everything_a_screen_shows_reaches_actor_and_queue_subscribers()
    {
        var ui = Sys.ActorOf(UiActor.Props());
        var screen = AckingSubscriber(ui);
        var queue = SubscribeQueue(ui, "test queue");

        var cot = new DeviceProtocol.CotReceived(Event("ANDROID-1"), CotSource.Self);
        var joined = new MeshProtocol.PeerJoined(3, "udp", "10.0.0.3:4242", null);
        var left = new MeshProtocol.PeerLeft(3, "10.0.0.3:4242");
        var chat = new UiEvent(UiEventKinds.Chat, "a chat line", DateTime.UtcNow);
        ui.Tell(cot);
        ui.Tell(joined);
        ui.Tell(left);
        ui.Tell(chat);

        var received = screen.ReceiveN(4, Patience).Cast<UiEvent>().ToList();
        Assert.Equal([UiEventKinds.Cot, UiEventKinds.PeerJoined, UiEventKinds.PeerLeft, UiEventKinds.Chat], received.Select(e => e.Kind));
        Assert.Same(cot, received[0].Payload);
        Assert.Same(joined, received[1].Payload);
        Assert.Same(left, received[2].Payload);
        Assert.Same(chat, received[3]);

        var read = ReadAvailable(queue.Events);
        Assert.Equal(received, read);
    }

    [Fact]
    public void Unsubscribed_and_terminated_subscribers_get_nothing_more()
    {
        var ui = Sys.ActorOf(UiActor.Props());
        var leaving = AckingSubscriber(ui);
        var dying = AckingSubscriber(ui);
        var staying = AckingSubscriber(ui);
        var queue = SubscribeQueue(ui, "closing queue");

        ui.Tell(new Unsubscribe(leaving.Ref));
        ui.Tell(new UnsubscribeQueue(queue.Id));
        Watch(dying.Ref);
        dying.Ref.Tell(PoisonPill.Instance);
        ExpectTerminated(dying.Ref);

        AwaitAssert(() => Assert.Single(Stats(ui).Subscribers), Patience);
        ui.Tell(new UiEvent(UiEventKinds.Emergency, "raised", DateTime.UtcNow));
        staying.ExpectMsg<UiEvent>(Patience);
        leaving.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.True(queue.Events.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_or_acknowledges_slows_nobody_and_loses_only_its_own_oldest_events()
    {
        var ui = Sys.ActorOf(UiActor.Props());
        var uiCell = ((ActorRefWithCell)ui).Underlying;
        var prompt = AckingSubscriber(ui);
        var stuckActor = CreateTestProbe();
        ui.Tell(new Subscribe(stuckActor.Ref), stuckActor.Ref);
        stuckActor.ExpectMsg<Subscribed>();
        var stuckQueue = SubscribeQueue(ui, "stuck queue");
        var promptQueue = SubscribeQueue(ui, "prompt queue");
        var promptQueueEvents = new List<UiEvent>();
        var promptQueueRead = Task.Run(async () =>
        {
            await foreach (var evt in promptQueue.Events.ReadAllAsync())
                lock (promptQueueEvents) promptQueueEvents.Add(evt);
        });

        const int batches = 6, batchSize = 500;
        for (var batch = 0; batch < batches; batch++)
        {
            for (var i = 0; i < batchSize; i++) ui.Tell(new UiEvent(UiEventKinds.Cot, batch * batchSize + i, DateTime.UtcNow));

            // The prompt subscriber has everything of the batch before the next one starts.
            var got = prompt.ReceiveN(batchSize, Patience).Cast<UiEvent>().Select(e => (int)e.Payload);
            Assert.Equal(Enumerable.Range(batch * batchSize, batchSize), got);

            AwaitAssert(() => { lock (promptQueueEvents) Assert.Equal((batch + 1) * batchSize, promptQueueEvents.Count); }, Patience);

            // And the UI actor still answers at once, with nothing left in its mailbox.
            var stats = await ui.Ask<UiStats>(GetUiStats.Instance, TimeSpan.FromSeconds(1));
            Assert.Equal((batch + 1L) * batchSize, stats.Published);
            Assert.Equal(0, uiCell.NumberOfMessages);
        }

        const int total = batches * batchSize;
        var final = Stats(ui);
        var stuckQueueStats = final.Subscribers.Single(s => s.Name == "stuck queue");
        Assert.Equal(1024, stuckQueueStats.Queued);
        Assert.Equal(total - 1024, stuckQueueStats.Dropped);
        var stuckActorStats = final.Subscribers.Single(s => s.Name == stuckActor.Ref.Path.ToString());
        Assert.Equal(1024, stuckActorStats.Queued);
        Assert.Equal(total - UiSettings.Default.ActorWindow - 1024, stuckActorStats.Dropped);
        Assert.Equal(0, final.Subscribers.Single(s => s.Name == prompt.Ref.Path.ToString()).Dropped);

        // The stuck queue kept the newest 1 024, in order; the stuck actor got its window and no more.
        Assert.Equal(Enumerable.Range(total - 1024, 1024), ReadAvailable(stuckQueue.Events).Select(e => (int)e.Payload));
        Assert.Equal(Enumerable.Range(0, UiSettings.Default.ActorWindow), stuckActor.ReceiveN(UiSettings.Default.ActorWindow).Cast<UiEvent>().Select(e => (int)e.Payload));
        stuckActor.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, final.Subscribers.Single(s => s.Name == "prompt queue").Dropped);
        ui.Tell(new UnsubscribeQueue(promptQueue.Id));
        await promptQueueRead.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, total), promptQueueEvents.Select(e => (int)e.Payload));
    }

    [Fact]
    public void An_actor_subscriber_that_catches_up_gets_the_newest_events_it_had_room_for()
    {
        var ui = Sys.ActorOf(UiActor.Props(new UiSettings(QueueCapacity: 4, ActorWindow: 2)));
        var late = CreateTestProbe();
        ui.Tell(new Subscribe(late.Ref), late.Ref);
        late.ExpectMsg<Subscribed>();

        for (var i = 0; i < 10; i++) ui.Tell(new UiEvent(UiEventKinds.Cot, i, DateTime.UtcNow));
        var first = late.ReceiveN(2).Cast<UiEvent>().Select(e => (int)e.Payload).ToList();
        late.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var rest = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            ui.Tell(UiEventAck.Instance, late.Ref);
            rest.Add((int)late.ExpectMsg<UiEvent>().Payload);
        }

        ui.Tell(UiEventAck.Instance, late.Ref);
        late.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal([0, 1], first);
        Assert.Equal([6, 7, 8, 9], rest);
        Assert.Equal(4, Stats(ui).Subscribers.Single().Dropped);
    }

    private TestProbe AckingSubscriber(IActorRef ui)
    {
        var probe = CreateTestProbe();
        probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is UiEvent) sender.Tell(UiEventAck.Instance, probe.Ref);
            return AutoPilot.KeepRunning;
        }));
        ui.Tell(new Subscribe(probe.Ref), TestActor);
        ExpectMsg<Subscribed>(s => s.Subscriber.Equals(probe.Ref));
        return probe;
    }

    private QueueSubscribed SubscribeQueue(IActorRef ui, string name) =>
        ui.Ask<QueueSubscribed>(new SubscribeQueue(name), Patience).Result;

    private static UiStats Stats(IActorRef ui) => ui.Ask<UiStats>(GetUiStats.Instance, Patience).Result;

    private static List<UiEvent> ReadAvailable(ChannelReader<UiEvent> reader)
    {
        var events = new List<UiEvent>();
        while (reader.TryRead(out var evt)) events.Add(evt);
        return events;
    }

    private static CotEvent Event(string uid)
    {
        var now = DateTime.UtcNow;
        return new CotEvent { Uid = uid, Type = "a-f-G-U-C", Time = now, Start = now, Stale = now.AddMinutes(2) };
    }
}
