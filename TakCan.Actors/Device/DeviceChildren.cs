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

    /// <summary>situation/ actors: each gets every CotReceived, and what else it asks for.</summary>
    public IReadOnlyList<SituationChild> Situation { get; init; } = [];

    /// <summary>sensors/ actors.</summary>
    public IReadOnlyList<(string Name, Func<IActorRef, Props> Props)> Sensors { get; init; } = [];
}

/// <summary>One situation/ actor and the device messages it wants besides every CotReceived.</summary>
public sealed record SituationChild(string Name, Func<IActorRef, Props> Props, bool ListensForAcks = false, bool FollowsSelfPosition = false);
