using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace TakCan.Host.Console.Tests.Sim;

/// <summary><c>takcan sim</c> as an operator runs it: exit codes, the table, and the report's stable JSON keys.</summary>
public sealed class SimCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("takcan-sim-cli-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_run_prints_the_table_and_writes_the_report_with_its_documented_keys_and_the_picture()
    {
        var scenario = Path.Combine(_work.FullName, "line.json");
        await File.WriteAllTextAsync(scenario, """
            { "name": "line", "duration_s": 40, "radio": { "profile": "ble", "range_m": 35 }, "traffic": { "sa_interval_s": 10 },
              "nodes": { "layout": "line", "count": 3, "spacing_m": 30 }, "expect": { "delivery_ratio_min": 1.0 } }
            """);
        var report = Path.Combine(_work.FullName, "report.json");
        var picture = Path.Combine(_work.FullName, "picture.svg");

        var (code, stdout, stderr) = await TakcanProcess.RunTextAsync("sim", "--scenario", scenario, "--report", report, "--picture", picture, "--quiet");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("delivery_ratio", stdout);
        Assert.Contains("PASS", stdout);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        // specs/sim-report.md: these keys are stable.
        foreach (var key in new[]
                 {
                     "scenario", "seed", "relay", "time", "nodes", "duration_s", "wall_s", "speedup", "delivery_ratio", "sa_fresh_ratio",
                     "sa_within_two_intervals", "transmissions_per_message", "transmissions", "duplicates_received", "latency_ms", "leaks",
                     "drops", "peak_memory_mb", "per_node", "edges", "checks",
                 })
            Assert.True(root.TryGetProperty(key, out _), $"report has no \"{key}\"");
        Assert.Equal(3, root.GetProperty("nodes").GetInt32());
        Assert.Equal(1.0, root.GetProperty("delivery_ratio").GetDouble());
        foreach (var percentile in new[] { "p50", "p95", "p99", "by_hops" }) Assert.True(root.GetProperty("latency_ms").TryGetProperty(percentile, out _));
        foreach (var reason in new[] { "auth", "replay", "ttl", "dedupe", "team", "reassembly" }) Assert.True(root.GetProperty("drops").TryGetProperty(reason, out _));
        Assert.Equal(3, XDocument.Load(picture).Descendants().Count(e => e.Name.LocalName == "circle"));
    }

    [Fact]
    public async Task A_missed_expectation_exits_3_and_a_bad_scenario_exits_2()
    {
        var scenario = Path.Combine(_work.FullName, "apart.json");
        // Two nodes out of each other's range, expected to hear each other: nothing is reachable, so no delivery ratio.
        await File.WriteAllTextAsync(scenario, """
            { "name": "apart", "duration_s": 20, "radio": { "profile": "ble", "range_m": 35 },
              "nodes": { "layout": "line", "count": 2, "spacing_m": 100 }, "expect": { "delivery_ratio_min": 0.5 } }
            """);
        var bad = Path.Combine(_work.FullName, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "name": "bad", "mesh": { "max_hops": 0 }, "nodes": { "count": 2 } }""");

        var missed = await TakcanProcess.RunTextAsync("sim", "--scenario", scenario, "--quiet");
        var refused = await TakcanProcess.RunTextAsync("sim", "--scenario", bad, "--quiet");

        Assert.Equal(3, missed.ExitCode);
        Assert.Contains("FAIL", missed.Stdout);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("max_hops", refused.Stderr);

        // A layout that can only fail once placed (no connected placement) is a clear refusal too, not a crash.
        var sparse = Path.Combine(_work.FullName, "sparse.json");
        await File.WriteAllTextAsync(sparse, """{ "name": "sparse", "nodes": { "layout": "random", "count": 10, "area_m": [5000, 5000] } }""");
        var unplaceable = await TakcanProcess.RunTextAsync("sim", "--scenario", sparse, "--quiet");
        Assert.Equal(2, unplaceable.ExitCode);
        Assert.Contains("no connected placement", unplaceable.Stderr);
    }
}
