namespace TakCan.Host.Console.Sim.Scenarios;

public sealed record NodePosition(string Name, double X, double Y, string? Team = null);
