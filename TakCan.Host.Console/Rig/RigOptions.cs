namespace TakCan.Host.Console.Rig;

/// <summary>What <c>takcan rig</c> was asked to run.</summary>
public sealed record RigOptions
{
    /// <summary>Ports from the base up: mesh UDP <c>base + i</c>, local API TCP <c>base + <see cref="ApiPortOffset"/> + i</c>.</summary>
    public const int ApiPortOffset = 1000;

    public const int DefaultBasePort = 17200;

    public required RigTopology Topology { get; init; }

    public required TakcanExecutable Takcan { get; init; }

    public int BasePort { get; init; } = DefaultBasePort;

    /// <summary>Longest wait for every delivery once the traffic is sent; the rig stops earlier when all arrived.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the nodes keep running (SA flowing, latency sampled) after the delivery wait ends.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.Zero;

    /// <summary>Longest wait for the processes' APIs, and then for the links.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Leave the data directories (journals, configs, key) instead of deleting them.</summary>
    public bool Keep { get; init; }

    /// <summary>The first node raises a 911 Alert.</summary>
    public bool Emergency { get; init; } = true;

    /// <summary>Nodes walk a small square (SA every 2 s); otherwise they stand still (SA every 30 s).</summary>
    public bool Walk { get; init; } = true;

    /// <summary>Where the node data directories go; null: a new temporary directory.</summary>
    public string? Root { get; init; }

    public int MeshPort(int node) => BasePort + node;

    public int ApiPort(int node) => BasePort + ApiPortOffset + node;
}
