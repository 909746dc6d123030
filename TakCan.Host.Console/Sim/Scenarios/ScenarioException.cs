namespace TakCan.Host.Console.Sim.Scenarios;

public sealed class ScenarioException(string message) : Exception(message);
