using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TakCan.Protocols.Cot.Json;

/// <summary>
/// CoT events as JSON (specs/cot-json.md): one object per event; files and streams are JSON Lines, and readers also
/// take one top-level array. Every reading error is a <see cref="CotFormatException"/> naming the event and field.
/// </summary>
public static class CotJson
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// How TAK Can writes CoT JSON: compact, and without escaping &lt; &gt; &amp; ' and non-ASCII letters, so the XML in
    /// <c>xml</c> and callsigns stay readable. The output is for files and streams, never spliced into HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(CotEvent evt)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(evt, writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(CotEvent evt, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(writer);
        CotJsonEventWriter.Write(writer, evt);
    }

    /// <summary>Writes one JSON Lines record: the event on one line, then <c>\n</c>.</summary>
    public static void WriteLine(CotEvent evt, IBufferWriter<byte> output)
    {
        using (var writer = new Utf8JsonWriter(output, WriterOptions)) Write(evt, writer);
        output.Write("\n"u8);
    }

    /// <summary>Writes a JSON Lines file or stream (UTF-8, no BOM). The stream is left open.</summary>
    public static void WriteLines(IEnumerable<CotEvent> events, Stream output)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes);
        foreach (var evt in events)
        {
            WriteLine(evt, buffer);
            if (buffer.WrittenCount < ChunkBytes) continue;
            output.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }

        output.Write(buffer.WrittenSpan);
    }

    /// <summary>Reads exactly one event.</summary>
    /// <exception cref="CotFormatException">Not one valid event within the limits.</exception>
    public static CotEvent Deserialize(ReadOnlySpan<byte> utf8, CotJsonLimits? limits = null) =>
        CotJsonEventReader.ReadDocument(utf8, limits ?? CotJsonLimits.Default, CotJsonSource.Single);

    /// <inheritdoc cref="Deserialize(ReadOnlySpan{byte}, CotJsonLimits?)"/>
    public static CotEvent Deserialize(string json, CotJsonLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        limits ??= CotJsonLimits.Default;
        // Measured first, so an oversized string is refused without encoding all of it.
        var length = Encoding.UTF8.GetByteCount(json);
        if (length > limits.MaxEventBytes)
            throw new CotFormatException($"event is {length} bytes, above the limit of {limits.MaxEventBytes} bytes");
        var utf8 = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(json, utf8);
            return Deserialize(utf8.AsSpan(0, written), limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// Reads a JSON Lines stream (or one top-level array) event by event. A bad event becomes an item with its index
    /// and error and reading goes on; only the end of the stream ends the sequence. The stream is left open.
    /// </summary>
    public static IEnumerable<CotJsonItem> ReadAll(Stream input, CotJsonLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReadAllCore(input, limits ?? CotJsonLimits.Default);
    }

    /// <inheritdoc cref="ReadAll(Stream, CotJsonLimits?)"/>
    public static IAsyncEnumerable<CotJsonItem> ReadAllAsync(Stream input, CotJsonLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReadAllCoreAsync(input, limits ?? CotJsonLimits.Default, cancellationToken);
    }

    /// <summary>Decodes one record cut by a <see cref="CotJsonLineSplitter"/>, naming its index and line in any error.</summary>
    public static CotJsonItem Decode(CotJsonLine line, CotJsonLimits? limits = null)
    {
        if (line.Error is not null) return CotJsonItem.FromError(line.Index, line.Error);
        try
        {
            var source = new CotJsonSource(line.Index, line.Line, line.Offset);
            return CotJsonItem.FromEvent(line.Index, CotJsonEventReader.ReadDocument(line.Utf8.Span, limits ?? CotJsonLimits.Default, source));
        }
        catch (CotFormatException e)
        {
            return CotJsonItem.FromError(line.Index, e);
        }
    }

    private static IEnumerable<CotJsonItem> ReadAllCore(Stream input, CotJsonLimits limits)
    {
        var splitter = new CotJsonLineSplitter(limits.MaxEventBytes);
        var lines = new List<CotJsonLine>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
            {
                splitter.Feed(chunk.AsSpan(0, read), lines);
                foreach (var line in lines) yield return Decode(line, limits);
                lines.Clear();
            }

            splitter.Complete(lines);
            foreach (var line in lines) yield return Decode(line, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async IAsyncEnumerable<CotJsonItem> ReadAllCoreAsync(
        Stream input,
        CotJsonLimits limits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var splitter = new CotJsonLineSplitter(limits.MaxEventBytes);
        var lines = new List<CotJsonLine>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await input.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                splitter.Feed(chunk.AsSpan(0, read), lines);
                foreach (var line in lines) yield return Decode(line, limits);
                lines.Clear();
            }

            splitter.Complete(lines);
            foreach (var line in lines) yield return Decode(line, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
