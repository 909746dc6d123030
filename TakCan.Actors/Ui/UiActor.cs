using System.Threading.Channels;
using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using static TakCan.Actors.Ui.UiProtocol;

namespace TakCan.Actors.Ui;

/// <summary>
/// Fans out everything a screen shows to its subscribers, actors and stream readers (specs/device.md, "UI fan-out").
/// Every subscriber has its own bounded queue, oldest dropped and counted, so a slow or dead screen never slows the
/// device or the other screens: the actor only ever does non-blocking writes.
/// </summary>
public sealed class UiActor : ReceiveActor
{
    private readonly UiSettings _settings;
    private readonly Dictionary<IActorRef, ActorSubscriber> _actors = [];
    private readonly Dictionary<long, QueueSubscriber> _queues = [];
    private long _nextQueueId;
    private long _published;

    public UiActor(UiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ActorWindow, 1);
        _settings = settings;

        Receive<DeviceProtocol.CotReceived>(received => Publish(new UiEvent(UiEventKinds.Cot, received, Now)));
        Receive<MeshProtocol.PeerJoined>(joined => Publish(new UiEvent(UiEventKinds.PeerJoined, joined, Now)));
        Receive<MeshProtocol.PeerLeft>(left => Publish(new UiEvent(UiEventKinds.PeerLeft, left, Now)));
        Receive<UiEvent>(Publish);
        Receive<UiEventAck>(_ =>
        {
            if (_actors.TryGetValue(Sender, out var subscriber)) subscriber.Acknowledge(Self);
        });

        Receive<Subscribe>(subscribe =>
        {
            if (!_actors.ContainsKey(subscribe.Subscriber))
            {
                _actors.Add(subscribe.Subscriber, new ActorSubscriber(subscribe.Subscriber, _settings));
                Context.Watch(subscribe.Subscriber);
            }

            Sender.Tell(new Subscribed(subscribe.Subscriber));
        });
        Receive<Unsubscribe>(unsubscribe =>
        {
            if (_actors.Remove(unsubscribe.Subscriber)) Context.Unwatch(unsubscribe.Subscriber);
        });
        Receive<Terminated>(terminated => _actors.Remove(terminated.ActorRef));

        Receive<SubscribeQueue>(subscribe =>
        {
            var id = ++_nextQueueId;
            var queue = new QueueSubscriber(subscribe.Name, _settings);
            _queues.Add(id, queue);
            Sender.Tell(new QueueSubscribed(id, queue.Reader));
        });
        Receive<UnsubscribeQueue>(unsubscribe =>
        {
            if (_queues.Remove(unsubscribe.Id, out var queue)) queue.Complete();
        });

        Receive<GetUiStats>(_ => Sender.Tell(new UiStats(
            _published,
            _actors.Values.Select(a => a.Stats).Concat(_queues.Values.Select(q => q.Stats)).ToList())));
    }

    public static Props Props(UiSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new UiActor(settings ?? UiSettings.Default));

    private DateTime Now => Context.System.Scheduler.Now.UtcDateTime;

    protected override void PostStop()
    {
        foreach (var queue in _queues.Values) queue.Complete();
        _queues.Clear();
        base.PostStop();
    }

    private void Publish(UiEvent evt)
    {
        _published++;
        foreach (var subscriber in _actors.Values) subscriber.Offer(evt, Self);
        foreach (var queue in _queues.Values) queue.Offer(evt);
    }

    /// <summary>
    /// An actor's queue: a mailbox cannot push back, so events go out only within a window of unacknowledged ones and
    /// the rest wait here.
    /// </summary>
    private sealed class ActorSubscriber(IActorRef subscriber, UiSettings settings)
    {
        private readonly Queue<UiEvent> _waiting = new();
        private int _inFlight;
        private long _dropped;

        public UiSubscriberStats Stats => new(subscriber.Path.ToString(), _waiting.Count, _dropped);

        public void Offer(UiEvent evt, IActorRef self)
        {
            if (_inFlight < settings.ActorWindow)
            {
                _inFlight++;
                subscriber.Tell(evt, self);
                return;
            }

            if (_waiting.Count == settings.QueueCapacity)
            {
                _waiting.Dequeue();
                _dropped++;
            }

            _waiting.Enqueue(evt);
        }

        public void Acknowledge(IActorRef self)
        {
            if (_inFlight > 0) _inFlight--;
            while (_inFlight < settings.ActorWindow && _waiting.TryDequeue(out var next))
            {
                _inFlight++;
                subscriber.Tell(next, self);
            }
        }
    }

    private sealed class QueueSubscriber
    {
        private readonly string _name;
        private readonly Channel<UiEvent> _channel;
        private long _dropped;

        public QueueSubscriber(string name, UiSettings settings)
        {
            _name = name;
            _channel = Channel.CreateBounded<UiEvent>(
                new BoundedChannelOptions(settings.QueueCapacity)
                {
                    FullMode = BoundedChannelFullMode.DropOldest,
                    SingleWriter = true,
                    SingleReader = false,
                },
                _ => Interlocked.Increment(ref _dropped));
        }

        public ChannelReader<UiEvent> Reader => _channel.Reader;

        public UiSubscriberStats Stats => new(_name, _channel.Reader.Count, Interlocked.Read(ref _dropped));

        // A bounded channel in DropOldest mode never refuses and never waits.
        public void Offer(UiEvent evt) => _channel.Writer.TryWrite(evt);

        public void Complete() => _channel.Writer.TryComplete();
    }
}
