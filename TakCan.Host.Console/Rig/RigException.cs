namespace TakCan.Host.Console.Rig;

/// <summary>A rig that cannot run: a busy port, a node that would not start. The message says what to do.</summary>
public sealed class RigException(string message, Exception? inner = null) : Exception(message, inner);
