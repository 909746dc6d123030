namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// The UTF-8 text of one event as <see cref="CotJsonLineSplitter"/> cut it from a stream (a line, or one element of a
/// top-level array), or the reason that event could not be cut out (over the size limit, array not closed).
/// </summary>
/// <param name="Index">Zero-based position of the event in the stream.</param>
/// <param name="Utf8">The event's JSON, surrounding whitespace removed; empty when <paramref name="Error"/> is set.</param>
/// <param name="Error">Set when the event's text is unusable; its message names the event.</param>
/// <param name="Offset">Byte offset of the event's first byte in the stream.</param>
/// <param name="Line">One-based line number where the event starts.</param>
public readonly record struct CotJsonLine(int Index, ReadOnlyMemory<byte> Utf8, CotFormatException? Error, long Offset, int Line);
