namespace TakCan.Host.Console.Rig;

/// <summary>How the nodes of a rig are linked (specs/rig.md, "Topology").</summary>
public enum RigTopologyKind
{
    /// <summary>1 — 2 — … — N.</summary>
    Line,

    /// <summary>A line whose ends are linked too.</summary>
    Ring,

    /// <summary>Rows of ⌈√N⌉ nodes, each linked to its left, right, upper and lower neighbour; the last row may be short.</summary>
    Grid,
}
