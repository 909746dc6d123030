namespace TakCan.Protocols.Cot.Json;

/// <summary>Where an event's JSON came from, for error messages: its index and line in a stream and its byte offset.</summary>
internal readonly record struct CotJsonSource(int? Index, int? Line, long? Offset)
{
    /// <summary>A single event read on its own: no index; offsets are relative to its first byte.</summary>
    public static CotJsonSource Single => new(null, null, 0);

    /// <summary>An event inside a document someone else is reading (a <see cref="CotEventJsonConverter"/>): nothing known.</summary>
    public static CotJsonSource Embedded => new(null, null, null);

    public string Describe() => Index is null ? "" : Line is null ? $"event {Index}" : $"event {Index} (line {Line})";

    public CotFormatException Fail(string problem, long? offset = null, Exception? inner = null)
    {
        var where = Describe();
        return new CotFormatException(where.Length == 0 ? problem : $"{where}: {problem}", offset ?? Offset, inner);
    }
}
