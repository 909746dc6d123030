using TakCan.Host.Console.Sim.Scenarios;

namespace TakCan.Host.Console.Sim;

/// <summary>One run of a scenario: the seed (overrides the scenario's), the relay policy, and the clock.</summary>
public sealed record SimOptions(Scenario Scenario)
{
    public int? Seed { get; init; }

    /// <summary>Plain flooding (every node rebroadcasts every message once, at once) instead of the default relay.</summary>
    public bool NaiveRelay { get; init; }

    /// <summary>Wall-clock time instead of virtual time (for watching a run, or with real transports).</summary>
    public bool RealTime { get; init; }

    /// <summary>Progress lines for long runs; null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Where the SQLite journal goes when the scenario asks for one (a temporary directory by default).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Called at the end of the run, before the devices stop: a look inside them (tests, diagnostics).</summary>
    public Action<SimInspector>? Inspect { get; init; }

    public int EffectiveSeed => Seed ?? Scenario.Seed;
}
