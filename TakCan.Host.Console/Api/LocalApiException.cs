namespace TakCan.Host.Console.Api;

/// <summary>The local API cannot start as configured: the message says what to change.</summary>
public sealed class LocalApiException(string message, Exception? inner = null) : Exception(message, inner);
