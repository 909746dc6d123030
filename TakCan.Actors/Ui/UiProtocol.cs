using System.Threading.Channels;
using Akka.Actor;

namespace TakCan.Actors.Ui;

/// <summary>Messages of <see cref="UiActor"/> (besides <c>DeviceProtocol.CotReceived</c> and the mesh's peer events, which it fans out).</summary>
public static class UiProtocol
{
    /// <summary>
    /// One thing a screen shows. Anything an actor wants on screen (a chat line changed state, an emergency was raised) it
    /// tells the UI actor wrapped in this, with a <see cref="UiEventKinds"/> kind; the UI actor passes it on unchanged.
    /// </summary>
    public sealed record UiEvent(string Kind, object Payload, DateTime Time);

    /// <summary>
    /// Subscribe an actor. It receives <see cref="UiEvent"/>s from the UI actor and answers each with <see cref="UiEventAck"/>;
    /// at most <see cref="UiSettings.ActorWindow"/> events are unacknowledged at once, the rest wait in the subscriber's
    /// own bounded queue (oldest dropped and counted). An actor that never acknowledges only ever loses its own events.
    /// The sender receives <see cref="Subscribed"/>.
    /// </summary>
    public sealed record Subscribe(IActorRef Subscriber);

    public sealed record Unsubscribe(IActorRef Subscriber);

    /// <summary>Reply to <see cref="Subscribe"/>.</summary>
    public sealed record Subscribed(IActorRef Subscriber);

    /// <summary>An actor subscriber's acknowledgement of one <see cref="UiEvent"/>; sent back to the UI actor.</summary>
    public sealed record UiEventAck
    {
        public static UiEventAck Instance { get; } = new();
    }

    /// <summary>
    /// Subscribe a stream reader (an SSE connection, a console). The reply is <see cref="QueueSubscribed"/>. The reader's
    /// queue is bounded (<see cref="UiSettings.QueueCapacity"/>, oldest dropped and counted); end it with
    /// <see cref="UnsubscribeQueue"/>, which completes the reader.
    /// </summary>
    /// <param name="Name">Shown in <see cref="UiStats"/>, e.g. "api events 127.0.0.1:53122".</param>
    public sealed record SubscribeQueue(string Name);

    public sealed record QueueSubscribed(long Id, ChannelReader<UiEvent> Events);

    public sealed record UnsubscribeQueue(long Id);

    public sealed record GetUiStats
    {
        public static GetUiStats Instance { get; } = new();
    }

    /// <summary>Reply to <see cref="GetUiStats"/>.</summary>
    /// <param name="Published">Events fanned out since the UI actor started.</param>
    public sealed record UiStats(long Published, IReadOnlyList<UiSubscriberStats> Subscribers);

    /// <param name="Queued">Events waiting in the subscriber's queue (for an actor, not counting those in flight).</param>
    /// <param name="Dropped">Events dropped because the queue was full, oldest first.</param>
    public sealed record UiSubscriberStats(string Name, int Queued, long Dropped);
}
