namespace TakCan.Protocols.Bridge;

/// <summary>
/// A bridge control message (onboard, bridge announcement) that cannot be read, or a certificate that cannot sign one.
/// The message says what is wrong; the bridge logs and counts it and goes on.
/// </summary>
public sealed class BridgeMessageException : Exception
{
    public BridgeMessageException(string message)
        : base(message)
    {
    }

    public BridgeMessageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
