using Akka.Actor;
using TakCan.Actors.Sensors;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using TakCan.Actors.Situation.Store;
using TakCan.Actors.Ui;
using TakCan.Protocols.Cot.Builders;

namespace TakCan.Actors.Device;

/// <summary>
/// The children DeviceRoot starts besides the mesh, as Props factories given the device's own ref (where they
/// send <see cref="DeviceProtocol.SendCot"/>). The host composes them from the node config; tests pick a few.
/// </summary>
public sealed record DeviceChildren
{
    public static DeviceChildren None { get; } = new();

    /// <summary>
    /// A full device (specs/device.md, "Tree"): ui, contacts, chat, emergency, CoT store and the self reporter on
    /// <paramref name="location"/>. <paramref name="persistencePrefix"/> keeps the journals of several devices in one
    /// database apart (the simulator, tests).
    /// </summary>
    public static DeviceChildren Standard(DeviceIdentity identity, ILocationSource location, string persistencePrefix = "",
        DeviceConfiguration? configuration = null)
    {
        var c = configuration ?? DeviceConfiguration.Default;
        return new DeviceChildren
        {
            Ui = UiActor.Props(),
            Situation =
            [
                new SituationChild("contacts", _ => ContactsActor.Props(persistencePrefix + "contacts", identity.Uid, c.Contacts with { Plugins = c.Plugins }, c.Clock), FollowsSelfPosition: true),
                new SituationChild("chat", device => ChatActor.Props(persistencePrefix + "chat",
                    identity, device, c.Chat with { Plugins = c.Plugins }), ListensForAcks: true, FollowsSelfPosition: true),
                new SituationChild("emergency", device => EmergencyActor.Props(persistencePrefix + "emergency",
                    identity, device, c.Emergency with { Plugins = c.Plugins }), ListensForAcks: true, FollowsSelfPosition: true),
                new SituationChild("store", _ => CotStoreActor.Props(persistencePrefix + "cot-store", c.Store with { Plugins = c.Plugins }, c.Clock)),
            ],
            Sensors =
            [
                ("self", device => SelfReporter.Props(
                    new SelfReporterSettings(new SelfSaBuilder.Identity(identity.Uid, identity.Callsign, identity.Team, identity.Role, identity.Type))
                    {
                        StationaryInterval = c.SelfStationaryInterval,
                        MinInterval = c.SelfMinInterval,
                        DistanceThreshold = c.SelfDistanceThreshold,
                        HeadingThreshold = c.SelfHeadingThreshold,
                    },
                    location, device)),
            ],
        };
    }

    public Props? Ui { get; init; }

    /// <summary>situation/ actors: each gets every CotReceived, and what else it asks for.</summary>
    public IReadOnlyList<SituationChild> Situation { get; init; } = [];

    /// <summary>sensors/ actors.</summary>
    public IReadOnlyList<(string Name, Func<IActorRef, Props> Props)> Sensors { get; init; } = [];

    /// <summary>
    /// Ways out besides the mesh (ATAK multicast, TAK Server links): each gets every event the device sends, as the
    /// message its actor takes, and sends what it receives to the device as CotReceived.
    /// </summary>
    public IReadOnlyList<DeviceOutlet> Outlets { get; init; } = [];

    /// <summary>
    /// Bridge mode (specs/bridge.md): <c>bridge</c> gets every cot and control envelope from the mesh and every event
    /// from a server. Null: no bridge.
    /// </summary>
    public Func<IActorRef, Props>? Bridge { get; init; }

    /// <summary>The peer's side of onboarding with the bridges on the mesh (<c>onboarding</c>). Null: this device does not onboard.</summary>
    public Func<IActorRef, Props>? Onboarding { get; init; }
}

/// <summary>A way out of the device besides the mesh, and how to hand it an event to send.</summary>
public sealed record DeviceOutlet(string Name, Func<IActorRef, Props> Props, Func<TakCan.Protocols.Cot.CotEvent, object> ToSend);

/// <summary>One situation/ actor and the device messages it wants besides every CotReceived.</summary>
/// <param name="Persistent">Journals its state: started under a backoff supervisor (see <c>SituationActor</c>).</param>
public sealed record SituationChild(string Name, Func<IActorRef, Props> Props, bool ListensForAcks = false, bool FollowsSelfPosition = false,
    bool Persistent = true);
