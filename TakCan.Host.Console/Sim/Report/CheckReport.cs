namespace TakCan.Host.Console.Sim.Report;

public sealed record CheckReport(string Name, bool Ok, double? Value, double Limit);
