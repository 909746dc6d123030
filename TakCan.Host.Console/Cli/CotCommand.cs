using System.Buffers;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Codecs;

namespace TakCan.Host.Console.Cli;

/// <summary><c>takcan cot convert|inspect</c>: CoT between XML, TAK Protocol and JSON, for pipes and people.</summary>
public static class CotCommand
{
    private const int ReadChunk = 64 * 1024;

    public static Command Create()
    {
        var command = new Command("cot", "Convert and inspect CoT events (XML, TAK Protocol v1, JSON) on stdin/stdout");
        command.Subcommands.Add(CreateConvert());
        command.Subcommands.Add(CreateInspect());
        return command;
    }

    private static Option<string> EncodingOption(string name, string description, bool required)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        if (!required) option.DefaultValueFactory = _ => "xml";
        option.AcceptOnlyFromAmong("xml", "proto", "json");
        return option;
    }

    private static Option<string> FramingOption()
    {
        var option = new Option<string>("--framing")
        {
            Description = "TAK Protocol framing for proto input/output: none (one bare TakMessage), mesh (one UDP datagram), stream (TCP, any number)",
            DefaultValueFactory = _ => "stream",
        };
        option.AcceptOnlyFromAmong("none", "mesh", "stream");
        return option;
    }

    private static Command CreateConvert()
    {
        var from = EncodingOption("--from", "Encoding of the events on stdin", required: true);
        var to = EncodingOption("--to", "Encoding to write to stdout", required: true);
        var framing = FramingOption();
        var command = new Command("convert", "Read any number of events from stdin and write them to stdout in another encoding. " +
                                             "A bad event is reported on stderr with its index and skipped; the exit code is 1 if any was skipped.")
        {
            from, to, framing,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var framingValue = ParseFraming(result.GetValue(framing)!);
            var encoder = new CotEventEncoder(ParseEncoding(result.GetValue(to)!), framingValue);
            await using var output = System.Console.OpenStandardOutput();
            var buffer = new ArrayBufferWriter<byte>(ReadChunk);
            var exitCode = await ReadEventsAsync(ParseEncoding(result.GetValue(from)!), framingValue, async evt =>
            {
                encoder.Write(evt, buffer);
                await output.WriteAsync(buffer.WrittenMemory, cancellation);
                buffer.ResetWrittenCount();
            }, cancellation);
            await output.FlushAsync(cancellation);
            return exitCode;
        });
        return command;
    }

    private static Command CreateInspect()
    {
        var from = EncodingOption("--from", "Encoding of the events on stdin (default xml)", required: false);
        var framing = FramingOption();
        var command = new Command("inspect", "Read events from stdin and print a table: uid, type, callsign, position, time, stale, detail kinds")
        {
            from, framing,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var events = new List<CotEvent>();
            var exitCode = await ReadEventsAsync(ParseEncoding(result.GetValue(from)!), ParseFraming(result.GetValue(framing)!), evt =>
            {
                events.Add(evt);
                return Task.CompletedTask;
            }, cancellation);
            PrintTable(events);
            return exitCode;
        });
        return command;
    }

    /// <summary>Feeds stdin through the decoder; returns 0, or 1 when any event was skipped.</summary>
    private static async Task<int> ReadEventsAsync(CotEncoding encoding, TakFraming framing, Func<CotEvent, Task> onEvent, CancellationToken cancellation)
    {
        var decoder = new CotEventDecoder(encoding, framing);
        var input = System.Console.OpenStandardInput();
        var chunk = new byte[ReadChunk];
        var failures = 0;
        int read;
        while ((read = await input.ReadAsync(chunk, cancellation)) > 0)
            failures += await HandleAsync(decoder.Feed(chunk.AsSpan(0, read)), onEvent);
        failures += await HandleAsync(decoder.Complete(), onEvent);
        if (decoder.IsFaulted)
            await System.Console.Error.WriteLineAsync("takcan: the TAK stream framing is broken; nothing after that point could be read");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<int> HandleAsync(IReadOnlyList<CotDecodeResult> results, Func<CotEvent, Task> onEvent)
    {
        var failures = 0;
        foreach (var result in results)
        {
            if (result.Event is { } evt)
            {
                await onEvent(evt);
                continue;
            }

            failures++;
            await System.Console.Error.WriteLineAsync($"takcan: event index {result.Index}: {result.Error?.Message}");
        }

        return failures;
    }

    private static void PrintTable(IReadOnlyList<CotEvent> events)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected) console.Profile.Width = 400;
        var table = new Table().Border(System.Console.IsOutputRedirected ? TableBorder.Simple : TableBorder.Rounded);
        foreach (var header in new[] { "#", "UID", "TYPE", "CALLSIGN", "POSITION", "TIME", "STALE", "DETAIL" })
            table.AddColumn(new TableColumn(header));
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var callsign = e.Detail.Contact?.Callsign ?? e.Detail.Chat?.SenderCallsign ?? "";
            var position = string.Create(CultureInfo.InvariantCulture, $"{e.Point.Lat:F5}, {e.Point.Lon:F5}") +
                           (e.Point.Hae != CotPoint.Unknown ? string.Create(CultureInfo.InvariantCulture, $" {e.Point.Hae:F1} m HAE") : "");
            table.AddRow(
                new Text(i.ToString(CultureInfo.InvariantCulture)),
                new Text(e.Uid),
                new Text(e.Type),
                new Text(callsign),
                new Text(position),
                new Text(CotTime.Format(e.Time)),
                new Text(CotTime.Format(e.Stale)),
                new Text(string.Join(", ", e.Detail.Kinds)));
        }

        console.Write(table);
        console.WriteLine($"{events.Count} event(s)");
    }

    private static CotEncoding ParseEncoding(string value) => value switch
    {
        "xml" => CotEncoding.Xml,
        "proto" => CotEncoding.Proto,
        "json" => CotEncoding.Json,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown encoding"),
    };

    private static TakFraming ParseFraming(string value) => value switch
    {
        "none" => TakFraming.None,
        "mesh" => TakFraming.Mesh,
        "stream" => TakFraming.Stream,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown framing"),
    };
}
