namespace TakCan.Host.Console.Sim.Report;

/// <summary>One node: where it started (metres), its team, what it sent, was expected to receive and received.</summary>
public sealed record NodeReport(string Name, string Team, double X, double Y, long Sent, long Expected, long Received, int Neighbours, int Restarts);
