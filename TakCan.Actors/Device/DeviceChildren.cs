using Akka.Actor;

namespace TakCan.Actors.Device;

/// <summary>
/// The children DeviceRoot starts besides the mesh, as Props factories given the device's own ref (where they
/// send <see cref="DeviceProtocol.SendCot"/>). The host composes them from the node config; tests pick a few.
/// </summary>
public sealed record DeviceChildren
{
    public static DeviceChildren None { get; } = new();

    public Props? Ui { get; init; }

    /// <summary>situation/ actors: each gets every CotReceived; those that listen for acks get AckReceived.</summary>
    public IReadOnlyList<(string Name, Func<IActorRef, Props> Props, bool ListensForAcks)> Situation { get; init; } = [];

    /// <summary>sensors/ actors.</summary>
    public IReadOnlyList<(string Name, Func<IActorRef, Props> Props)> Sensors { get; init; } = [];
}
