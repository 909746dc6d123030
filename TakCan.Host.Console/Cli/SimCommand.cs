using System.CommandLine;
using TakCan.Host.Console.Sim;
using TakCan.Host.Console.Sim.Report;
using TakCan.Host.Console.Sim.Scenarios;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan sim</c>: runs a scenario of <c>scenarios/</c> with the real device tree and mesh on a simulated radio
/// and reports delivery, transmissions, latency, leaks and drops (specs/sim-report.md). Exit code 3 when the
/// scenario's expectations are missed.
/// </summary>
public static class SimCommand
{
    public static Command Create()
    {
        var scenario = new Option<FileInfo>("--scenario") { Description = "Scenario file (JSON), e.g. scenarios/line-3.json", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Seed (default: the scenario's); a seed gives the same report every run" };
        var relay = new Option<string>("--relay")
        {
            Description = "default (dedupe, TTL, broadcast suppression) or naive (plain flooding: every node rebroadcasts every message once)",
            DefaultValueFactory = _ => "default",
        };
        relay.AcceptOnlyFromAmong("default", "naive");
        var compare = new Option<bool>("--compare") { Description = "Run naive and default relay on the same seed and medium, side by side" };
        var report = new Option<FileInfo?>("--report") { Description = "Write the report as JSON (with --compare: FILE and FILE with .naive before the extension)" };
        var picture = new Option<FileInfo?>("--picture") { Description = "Write the topology and who received what as SVG (or .html)" };
        var realTime = new Option<bool>("--real-time") { Description = "Run on the wall clock instead of virtual time" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines" };
        var command = new Command("sim", "Simulate a mesh of devices on a radio model and report how well it delivers")
        {
            scenario, seed, relay, compare, report, picture, realTime, quiet,
        };
        command.SetAction(async (result, cancellation) =>
        {
            Scenario loaded;
            try
            {
                loaded = Scenario.Load(result.GetValue(scenario)!.FullName);
            }
            catch (Exception e) when (e is ScenarioException or IOException)
            {
                await System.Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var options = new SimOptions(loaded)
            {
                Seed = result.GetValue(seed),
                RealTime = result.GetValue(realTime),
                Progress = result.GetValue(quiet) ? null : line => System.Console.Error.WriteLine(line),
            };
            // A simulation is a batch job on one thread: a background GC thread only competes with it for the cores.
            System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
            var reportFile = result.GetValue(report);
            var pictureFile = result.GetValue(picture);
            try
            {
                // One thread owns a virtual-time run from start to end (SimDriver).
                if (result.GetValue(compare))
                {
                    var naive = await Task.Factory.StartNew(() => SimRunner.Run(options with { NaiveRelay = true }), cancellation,
                        TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    var standard = await Task.Factory.StartNew(() => SimRunner.Run(options), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                    SimReportTable.WriteComparison(System.Console.Out, naive, standard);
                    if (reportFile is not null)
                    {
                        await File.WriteAllTextAsync(reportFile.FullName, standard.ToJson(), cancellation);
                        await File.WriteAllTextAsync(Path.ChangeExtension(reportFile.FullName, ".naive" + reportFile.Extension), naive.ToJson(), cancellation);
                    }

                    if (pictureFile is not null) SimReportPicture.Write(pictureFile.FullName, standard);
                    return standard.Passed ? 0 : 3;
                }

                var run = await Task.Factory.StartNew(() => SimRunner.Run(options with { NaiveRelay = result.GetValue(relay) == "naive" }), cancellation,
                    TaskCreationOptions.LongRunning, TaskScheduler.Default);
                SimReportTable.Write(System.Console.Out, run);
                if (reportFile is not null) await File.WriteAllTextAsync(reportFile.FullName, run.ToJson(), cancellation);
                if (pictureFile is not null) SimReportPicture.Write(pictureFile.FullName, run);
                return run.Passed ? 0 : 3;
            }
            catch (ScenarioException e)
            {
                // What only shows once the scenario is laid out (say, no connected placement in the area).
                await System.Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });
        return command;
    }
}
