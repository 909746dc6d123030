namespace TakCan.Host.Console.Sim.Scenarios;

/// <summary>Nodes <c>first</c>..<c>last</c> (indices, inclusive) move by offsets interpolated between waypoints
/// <c>[t_s, dx_m, dy_m]</c>.</summary>
public sealed record MotionGroup(int First, int Last, IReadOnlyList<double[]> Waypoints);
