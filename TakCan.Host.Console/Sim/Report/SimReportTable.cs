using System.Globalization;
using Spectre.Console;

namespace TakCan.Host.Console.Sim.Report;

/// <summary>
/// The terminal summary of a <c>takcan sim</c> run, and of the two runs of <c>--compare</c> side by side. Metric
/// names are the JSON keys of specs/sim-report.md, so what an operator reads here can be found in the report file.
/// A metric with no data (null) reads "n/a", never 0.
/// </summary>
public static class SimReportTable
{
    private const string NoData = "n/a";

    public static void Write(TextWriter output, SimReport report)
    {
        var console = Open(output);
        var terminal = IsTerminal(output);
        console.WriteLine($"{report.Scenario}: relay {report.Relay}, seed {report.Seed}, {report.Time} time");
        console.WriteLine($"{Count(report.Nodes)} nodes{TeamsSuffix(report.Teams)}, radio {report.Radio}, medium {report.Medium}, max hops {report.MaxHops}");

        var table = NewTable(terminal, "METRIC", "VALUE");
        AddRow(table, "duration_s / wall_s", $"{Seconds(report.DurationS)} simulated in {Seconds(report.WallS)} wall, {Speedup(report.Speedup)} real time");
        var kinds = report.MessagesByKind.Count == 0 ? "" : $" ({string.Join(", ", report.MessagesByKind.Select(k => $"{k.Key} {Count(k.Value)}"))})";
        AddRow(table, "messages_originated", $"{Count(report.MessagesOriginated)} CoT{kinds}, {Count(report.MeshMessagesOriginated)} mesh messages (mesh_messages_originated)");
        AddRow(table, "delivery_ratio", $"{Ratio(report.DeliveryRatio)}  ({Count(report.Deliveries)} of {Count(report.ExpectedDeliveries)} expected deliveries)");
        AddRow(table, "sa_fresh_ratio", Ratio(report.SaFreshRatio));
        AddRow(table, "sa_within_two_intervals", Ratio(report.SaWithinTwoIntervals));
        AddRow(table, "transmissions_per_message",
            $"{PerMessage(report.TransmissionsPerMessage)}  ({Count(report.Transmissions)} transmissions, {Count(report.Frames)} frames, {Bytes(report.BytesOnAir)} on air)");
        AddRow(table, "duplicates_received", Count(report.DuplicatesReceived));
        AddRow(table, "latency_ms", $"{Percentiles(report.LatencyMs.P50, report.LatencyMs.P95, report.LatencyMs.P99)}  ({Count(report.LatencyMs.Count)} deliveries)");
        AddRow(table, "leaks", Count(report.Leaks));
        AddRow(table, "drops", Drops(report.Drops));
        AddRow(table, "peak_memory_mb", Megabytes(report.PeakMemoryMb));
        AddRow(table, "foreign_work", Count(report.ForeignWork));
        console.Write(table);

        if (report.LatencyMs.ByHops.Count > 0)
        {
            var hops = NewTable(terminal, "HOPS", "DELIVERIES", "P50 MS", "P95 MS", "P99 MS");
            foreach (var (key, latency) in ByHopCount(report.LatencyMs.ByHops))
                AddRow(hops, key, Count(latency.Count), Milliseconds(latency.P50), Milliseconds(latency.P95), Milliseconds(latency.P99));
            console.Write(hops);
        }

        if (report.Checks.Count > 0)
        {
            var checks = NewTable(terminal, "CHECK", "RESULT", "VALUE", "LIMIT");
            foreach (var check in report.Checks)
                checks.AddRow(new Text(check.Name), Verdict(check.Ok), new Text(Number(check.Value)), new Text(Number(check.Limit)));
            console.Write(checks);
        }

        console.WriteLine(Summary(report));
    }

    public static void WriteComparison(TextWriter output, SimReport naive, SimReport @default)
    {
        var console = Open(output);
        console.WriteLine($"{@default.Scenario}: relay naive vs default, seed {@default.Seed}, {Count(@default.Nodes)} nodes, " +
                          $"radio {@default.Radio}, medium {@default.Medium}, {Seconds(@default.DurationS)} simulated");
        // --compare promises the same seed and medium; say so loudly if the two reports are not a fair pair.
        foreach (var difference in Differences(naive, @default))
            console.WriteLine($"warning: the runs differ in {difference}");

        var table = NewTable(IsTerminal(output), "METRIC", "NAIVE", "DEFAULT", "CHANGE");
        void Row(string metric, double? a, double? b, Func<double?, string> format, bool relative = true) =>
            AddRow(table, metric, format(a), format(b), Change(a, b, format, relative));

        Row("wall_s", naive.WallS, @default.WallS, v => Seconds(v));
        Row("speedup", naive.Speedup, @default.Speedup, v => Speedup(v));
        Row("messages_originated", naive.MessagesOriginated, @default.MessagesOriginated, v => Count(v));
        Row("mesh_messages_originated", naive.MeshMessagesOriginated, @default.MeshMessagesOriginated, v => Count(v));
        Row("expected_deliveries", naive.ExpectedDeliveries, @default.ExpectedDeliveries, v => Count(v));
        Row("deliveries", naive.Deliveries, @default.Deliveries, v => Count(v));
        // Ratios change by points, not by percent of themselves.
        Row("delivery_ratio", naive.DeliveryRatio, @default.DeliveryRatio, Ratio, relative: false);
        Row("sa_fresh_ratio", naive.SaFreshRatio, @default.SaFreshRatio, Ratio, relative: false);
        Row("sa_within_two_intervals", naive.SaWithinTwoIntervals, @default.SaWithinTwoIntervals, Ratio, relative: false);
        Row("transmissions_per_message", naive.TransmissionsPerMessage, @default.TransmissionsPerMessage, PerMessage);
        Row("transmissions", naive.Transmissions, @default.Transmissions, v => Count(v));
        Row("frames", naive.Frames, @default.Frames, v => Count(v));
        Row("bytes_on_air", naive.BytesOnAir, @default.BytesOnAir, v => Bytes(v));
        Row("duplicates_received", naive.DuplicatesReceived, @default.DuplicatesReceived, v => Count(v));
        Row("latency_ms.p50", naive.LatencyMs.P50, @default.LatencyMs.P50, Milliseconds);
        Row("latency_ms.p95", naive.LatencyMs.P95, @default.LatencyMs.P95, Milliseconds);
        Row("latency_ms.p99", naive.LatencyMs.P99, @default.LatencyMs.P99, Milliseconds);
        Row("leaks", naive.Leaks, @default.Leaks, v => Count(v));
        foreach (var reason in naive.Drops.Concat(@default.Drops).Where(d => d.Value != 0).Select(d => d.Key).Distinct().Order(StringComparer.Ordinal))
            Row($"drops.{reason}", naive.Drops.GetValueOrDefault(reason), @default.Drops.GetValueOrDefault(reason), v => Count(v));
        Row("peak_memory_mb", naive.PeakMemoryMb, @default.PeakMemoryMb, Megabytes);

        var naiveChecks = Verdicts(naive);
        var defaultChecks = Verdicts(@default);
        foreach (var name in naive.Checks.Concat(@default.Checks).Select(c => c.Name).Distinct())
            table.AddRow(new Text($"check {name}"), Verdict(naiveChecks.TryGetValue(name, out var naiveOk) ? naiveOk : null),
                Verdict(defaultChecks.TryGetValue(name, out var defaultOk) ? defaultOk : null), new Text(""));
        console.Write(table);

        console.WriteLine($"naive: {Summary(naive)}");
        console.WriteLine($"default: {Summary(@default)}");
    }

    private static IAnsiConsole Open(TextWriter output)
    {
        var terminal = IsTerminal(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            // A report written to a file or a CI log must read as plain text: no escape codes.
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 240;
        return console;
    }

    private static bool IsTerminal(TextWriter output) => ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;

    // Like Cli.ClientCommands.NewTable, but the border follows the writer we were given, not the process's stdout.
    private static Table NewTable(bool terminal, params string[] headers)
    {
        var table = new Table().Border(terminal ? TableBorder.Rounded : TableBorder.Simple);
        foreach (var header in headers) table.AddColumn(new TableColumn(header));
        return table;
    }

    private static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());

    private static Dictionary<string, bool> Verdicts(SimReport report) =>
        report.Checks.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.All(c => c.Ok));

    private static Markup Verdict(bool? ok) => ok switch
    {
        true => new Markup("[green]PASS[/]"),
        false => new Markup("[bold red]FAIL[/]"),
        null => new Markup(NoData),
    };

    private static string Summary(SimReport report)
    {
        if (report.Checks.Count == 0) return "no checks";
        var failed = report.Checks.Count(c => !c.Ok);
        return failed == 0
            ? $"PASS: all {report.Checks.Count} checks"
            : $"FAIL: {failed} of {report.Checks.Count} checks ({string.Join(", ", report.Checks.Where(c => !c.Ok).Select(c => c.Name))})";
    }

    private static IEnumerable<string> Differences(SimReport a, SimReport b)
    {
        if (a.Scenario != b.Scenario) yield return $"scenario ({a.Scenario} vs {b.Scenario})";
        if (a.Seed != b.Seed) yield return $"seed ({a.Seed} vs {b.Seed})";
        if (a.Nodes != b.Nodes) yield return $"nodes ({a.Nodes} vs {b.Nodes})";
        if (a.Radio != b.Radio) yield return $"radio ({a.Radio} vs {b.Radio})";
        if (a.Medium != b.Medium) yield return $"medium ({a.Medium} vs {b.Medium})";
        if (a.DurationS != b.DurationS) yield return $"duration_s ({Seconds(a.DurationS)} vs {Seconds(b.DurationS)})";
    }

    private static IEnumerable<(string Key, HopLatency Latency)> ByHopCount(IReadOnlyDictionary<string, HopLatency> byHops) =>
        byHops.Select(h => (Key: h.Key, Latency: h.Value))
            .OrderBy(h => int.TryParse(h.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue)
            .ThenBy(h => h.Key, StringComparer.Ordinal);

    private static string TeamsSuffix(IReadOnlyList<string> teams) => teams.Count == 0 ? "" : $" (teams: {string.Join(", ", teams)})";

    private static string Drops(IReadOnlyDictionary<string, long> drops)
    {
        var nonZero = drops.Where(d => d.Value != 0).OrderByDescending(d => d.Value).ThenBy(d => d.Key, StringComparer.Ordinal).ToList();
        return nonZero.Count == 0 ? "none" : string.Join(", ", nonZero.Select(d => $"{d.Key} {Count(d.Value)}"));
    }

    private static string Change(double? a, double? b, Func<double?, string> format, bool relative)
    {
        if (a is not { } before || b is not { } after || !double.IsFinite(before) || !double.IsFinite(after)) return "";
        if (before == after) return "same";
        var difference = after - before;
        var text = (difference > 0 ? "+" : "-") + format(Math.Abs(difference));
        return relative && before != 0 ? text + Invariant($" ({difference / Math.Abs(before) * 100:+0.0;-0.0} %)") : text;
    }

    private static string Count(double? value) => Format(value, "#,0");

    private static string Ratio(double? value) => Format(value, "0.0000");

    private static string PerMessage(double? value) => Format(value, "0.000");

    private static string Milliseconds(double? value) => Format(value, "#,0.0");

    private static string Megabytes(double? value) => Format(value, "#,0.0") + (value is null ? "" : " MB");

    private static string Seconds(double? value) => Format(value, "#,0.0") + (value is null ? "" : " s");

    private static string Speedup(double? value) => Format(value, "#,0.0") + (value is null ? "" : "×");

    private static string Number(double? value) => Format(value, "#,0.####");

    private static string Bytes(double? value) => value switch
    {
        null => NoData,
        >= 1_000_000_000 => Format(value / 1e9, "0.00") + " GB",
        >= 1_000_000 => Format(value / 1e6, "0.0") + " MB",
        >= 10_000 => Format(value / 1e3, "0.0") + " kB",
        _ => Format(value, "#,0") + " B",
    };

    private static string Percentiles(double? p50, double? p95, double? p99) =>
        $"p50 {Milliseconds(p50)}  p95 {Milliseconds(p95)}  p99 {Milliseconds(p99)}";

    private static string Format(double? value, string format) => value switch
    {
        null => NoData,
        double.PositiveInfinity => "∞",
        double.NegativeInfinity => "-∞",
        { } v when double.IsNaN(v) => NoData,
        { } v => v.ToString(format, CultureInfo.InvariantCulture),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
