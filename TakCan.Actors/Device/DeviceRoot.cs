using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Google.Protobuf;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Actors.Situation;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Device.DeviceProtocol;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Device;

/// <summary>
/// The top of one device's actor tree (specs/device.md): starts the mesh and the situation, sends every event
/// that enters to everything that needs it, and every event the device sends out through the mesh.
/// </summary>
public sealed class DeviceRoot : ReceiveActor
{
    private readonly DeviceSettings _settings;
    private readonly IReadOnlyList<IMeshTransport> _transports;
    private IActorRef _situation = ActorRefs.Nobody;
    private readonly List<IActorRef> _sensors = new();
    private readonly List<(IActorRef Actor, Func<CotEvent, object> ToSend)> _outlets = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _mesh = ActorRefs.Nobody;
    private IActorRef _bridge = ActorRefs.Nobody;

    public DeviceRoot(DeviceSettings settings, IReadOnlyList<IMeshTransport> transports, DeviceChildren? children = null)
    {
        _settings = settings;
        _transports = transports;
        Children = children ?? DeviceChildren.None;

        Receive<SendCot>(Send);
        Receive<MeshMessageReceived>(FromMesh);
        Receive<CotReceived>(Distribute);
        Receive<SelfPositionChanged>(position => _situation.Tell(position));
        Receive<PeerJoined>(joined =>
        {
            Ui.Forward(joined);
            foreach (var sensor in _sensors) sensor.Tell(Sensors.SelfReporter.Announce.Instance);
        });
        Receive<PeerLeft>(left => Ui.Forward(left));
        Receive<GetMeshStatus>(status => _mesh.Forward(status));
        Receive<SentToMesh>(_ => { });
        Receive<DeviceProtocol.GetChildren>(_ => ReplyChildren());
    }

    public static Props Props(DeviceSettings settings, IReadOnlyList<IMeshTransport> transports, DeviceChildren? children = null) =>
        Akka.Actor.Props.Create(() => new DeviceRoot(settings, transports, children));

    private DeviceChildren Children { get; }

    private IActorRef Ui { get; set; } = ActorRefs.Nobody;

    private Dictionary<string, IActorRef> Named { get; } = new();

    /// <summary>
    /// situation/ restarts (its children recover from their journals; it supervises them itself). The mesh restarts
    /// too (its links re-authenticate). A sensor restarts, which re-opens its source. Nothing is escalated: the device
    /// keeps running whatever one part does.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    protected override void PreStart()
    {
        _mesh = Context.ActorOf(MeshActor.Props(_settings.Mesh, _transports, Self, _settings.MeshCounters), "mesh");
        Named["mesh"] = _mesh;
        if (Children.Ui is { } ui) Ui = Named["ui"] = Context.ActorOf(ui, "ui");
        if (Children.Situation.Count > 0) _situation = Named["situation"] = Context.ActorOf(SituationActor.Props(Children.Situation, Self), "situation");

        foreach (var (name, props) in Children.Sensors) _sensors.Add(Named[name] = Context.ActorOf(props(Self), name));
        foreach (var outlet in Children.Outlets) _outlets.Add((Named[outlet.Name] = Context.ActorOf(outlet.Props(Self), outlet.Name), outlet.ToSend));
        // The bridge journals its onboarded peers: like a situation actor, it stops rather than throws when the journal
        // fails, so the backoff supervisor starts it again.
        if (Children.Bridge is { } bridge)
            _bridge = Named["bridge"] = Context.ActorOf(BackoffSupervisor.Props(
                Backoff.OnStop(bridge(Self), "bridge", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)), "bridge");
        if (Children.Onboarding is { } onboarding) Named["onboarding"] = Context.ActorOf(onboarding(Self), "onboarding");
    }

    /// <summary>The device's children by name, the situation's included (asked of situation/, so answered when it answers).</summary>
    private void ReplyChildren()
    {
        var replyTo = Sender;
        var mesh = _mesh;
        var ui = Ui;
        var named = new Dictionary<string, IActorRef>(Named);
        if (_situation.IsNobody())
        {
            replyTo.Tell(new DeviceProtocol.ChildrenOf(mesh, ui, named));
            return;
        }

        _situation.Ask<SituationActor.SituationChildren>(SituationActor.GetSituation.Instance, TimeSpan.FromSeconds(30))
            .ContinueWith(asked =>
            {
                if (asked.IsCompletedSuccessfully)
                    foreach (var (name, child) in asked.Result.Named)
                        named[name] = child;
                return new DeviceProtocol.ChildrenOf(mesh, ui, named);
            }, TaskContinuationOptions.ExecuteSynchronously)
            .PipeTo(replyTo);
    }

    private void Send(SendCot send)
    {
        var payload = TakMessageConverter.ToTakMessage(send.Event).ToByteArray();
        _mesh.Tell(new SendToMesh(MeshMessageKind.Cot, payload));
        foreach (var (actor, toSend) in _outlets) actor.Tell(toSend(send.Event));
        Distribute(new CotReceived(send.Event, CotSource.Self));
    }

    private void FromMesh(MeshMessageReceived received)
    {
        var envelope = received.Envelope;
        // The bridge checks origin signatures itself, so it gets the envelope, not just the event (specs/bridge.md).
        if (envelope.Kind is MeshMessageKind.Cot or MeshMessageKind.Control) _bridge.Tell(received);
        switch (envelope.Kind)
        {
            case MeshMessageKind.Cot:
                CotEvent evt;
                try
                {
                    evt = TakMessageConverter.Decode(envelope.Payload.Span);
                }
                catch (CotFormatException e)
                {
                    _log.Warning("CoT from mesh node {0} dropped: {1}", envelope.Origin.Short, e.Message);
                    return;
                }

                Distribute(new CotReceived(evt, new CotSource(CotSourceKind.Mesh, "mesh", envelope.Hops, envelope.Origin.ToString())));
                if (IsReliable(evt.Type))
                {
                    var ack = new MeshAck(AckKey(evt), _settings.Identity.Uid, _settings.Identity.Callsign);
                    _mesh.Tell(new SendToMesh(MeshMessageKind.Ack, ack.ToBytes()));
                }

                break;
            case MeshMessageKind.Ack:
                try
                {
                    var ack = MeshAck.Read(envelope.Payload);
                    var message = new AckReceived(ack.Key, ack.AckerUid, ack.AckerCallsign);
                    _situation.Tell(message);
                }
                catch (MeshFormatException e)
                {
                    _log.Warning("ack from mesh node {0} dropped: {1}", envelope.Origin.Short, e.Message);
                }

                break;
        }
    }

    private void Distribute(CotReceived received)
    {
        _situation.Tell(received);
        Ui.Tell(received);
        if (received.Source.Kind == CotSourceKind.Server) _bridge.Tell(received);
    }

    /// <summary>Chat and emergencies are acknowledged end to end (specs/device.md).</summary>
    public static bool IsReliable(string cotType) =>
        cotType == "b-t-f" || cotType.StartsWith("b-a-o-", StringComparison.Ordinal);
}
