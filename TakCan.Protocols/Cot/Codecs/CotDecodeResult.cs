namespace TakCan.Protocols.Cot.Codecs;

/// <summary>One item read from an input: the event, or why the event at <see cref="Index"/> was skipped.</summary>
/// <param name="Index">Zero-based position of the event in the input.</param>
public readonly record struct CotDecodeResult(int Index, CotEvent? Event, CotFormatException? Error)
{
    public bool IsSuccess => Event is not null;
}
