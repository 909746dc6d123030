namespace TakCan.Protocols.Cot;

/// <summary>
/// The one error every TAK Can decoder (CoT XML, TAK Protocol, JSON, framing) raises for bad input.
/// The message says what is wrong and where, so an operator can act on it.
/// </summary>
public sealed class CotFormatException : Exception
{
    public CotFormatException(string message, long? offset = null, Exception? inner = null)
        : base(offset is null ? message : $"{message} (at byte {offset})", inner)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where the problem was found, when known.</summary>
    public long? Offset { get; }
}
