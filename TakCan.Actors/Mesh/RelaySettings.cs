namespace TakCan.Actors.Mesh;

/// <summary>Relay behaviour of one node (specs/mesh.md, "Relay and suppression").</summary>
public sealed record RelaySettings
{
    public static RelaySettings Default { get; } = new();

    /// <summary>Base of the random wait before rebroadcasting on a broadcast medium, per 8 neighbours heard.</summary>
    public TimeSpan BroadcastWindow { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Copies heard from others during the wait that cancel our own rebroadcast (the neighbourhood has it).</summary>
    public int SuppressAfterDuplicates { get; init; } = 3;

    /// <summary>
    /// The same for a node that heard the message from its origin directly (the first ring). More than
    /// <see cref="SuppressAfterDuplicates"/> fills holes next to the origin, which otherwise cut a flood short of its hop
    /// limit in a large sparse mesh, at the price of no suppression in a small cluster (specs/mesh.md).
    /// </summary>
    public int OriginRingSuppressAfterDuplicates { get; init; } = 3;

    /// <summary>Plain flooding (every node rebroadcasts every message once at once): the simulator's baseline.</summary>
    public bool Naive { get; init; }

    /// <summary>Source of the random waits; seeded in the simulator so a run repeats.</summary>
    public Random Random { get; init; } = Random.Shared;
}
