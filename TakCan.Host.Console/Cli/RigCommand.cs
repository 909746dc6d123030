using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Rig;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan rig</c>: N real nodes on 127.0.0.1 meshed as a line, ring or grid, traffic, a delivery table, and every
/// process stopped (specs/rig.md). Exit code 0 when every expected delivery arrived, 2 when some did not, 1 when the rig
/// could not run.
/// </summary>
public static class RigCommand
{
    public const int Incomplete = 2;
    private const int MatrixUpTo = 16;

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes", "-n") { Description = $"How many node processes, {RigTopology.MinNodes} to {RigTopology.MaxNodes}", Required = true };
        var topology = new Option<string>("--topology", "-t")
        {
            Description = "line (1—2—…—N), ring (a closed line) or grid (rows of ⌈√N⌉, 4 neighbours)",
            DefaultValueFactory = _ => "line",
        };
        topology.AcceptOnlyFromAmong("line", "ring", "grid");
        var duration = new Option<int>("--duration", "-d")
        {
            Description = "Longest wait in seconds for every delivery once the traffic is sent (the rig stops earlier when all arrived)",
            DefaultValueFactory = _ => 30,
        };
        var hold = new Option<int>("--hold")
        {
            Description = "Seconds to keep the nodes running after the delivery wait, sampling SA latency (default 0)",
        };
        var basePort = new Option<int>("--base-port")
        {
            Description = $"Node i listens for the mesh on UDP BASE+i and for its API on TCP BASE+{RigOptions.ApiPortOffset}+i, on 127.0.0.1",
            DefaultValueFactory = _ => RigOptions.DefaultBasePort,
        };
        var keep = new Option<bool>("--keep") { Description = "Keep the nodes' data directories (configs, key, journals)" };
        var takcan = new Option<string?>("--takcan") { Description = "The takcan to start: an apphost, or a takcan.dll run with dotnet (default: this one)" };
        var report = new Option<string?>("--report") { Description = "Also write the report as JSON to this file" };
        var noEmergency = new Option<bool>("--no-emergency") { Description = "Do not raise the first node's 911 Alert" };
        var still = new Option<bool>("--still") { Description = "Nodes stand still (SA every 30 s) instead of walking a small square (SA every 2 s)" };
        var data = new Option<string?>("--data") { Description = "Put the node data directories here (default: a new temporary directory)" };
        var command = new Command("rig", "Start N takcan nodes on 127.0.0.1 meshed as a line, ring or grid, send traffic, report end-to-end delivery, stop them all")
        {
            nodes, topology, duration, hold, basePort, keep, takcan, report, noEmergency, still, data,
        };
        command.SetAction(async (result, cancellation) =>
        {
            RigOptions options;
            try
            {
                options = new RigOptions
                {
                    Topology = RigTopology.Create(Enum.Parse<RigTopologyKind>(result.GetValue(topology)!, ignoreCase: true), result.GetValue(nodes)),
                    Takcan = result.GetValue(takcan) is { } path ? TakcanExecutable.From(path) : TakcanExecutable.Current(),
                    BasePort = result.GetValue(basePort),
                    Duration = TimeSpan.FromSeconds(Math.Max(1, result.GetValue(duration))),
                    Hold = TimeSpan.FromSeconds(Math.Max(0, result.GetValue(hold))),
                    Keep = result.GetValue(keep),
                    Emergency = !result.GetValue(noEmergency),
                    Walk = !result.GetValue(still),
                    Root = result.GetValue(data),
                };
            }
            catch (Exception e) when (e is RigException or FileNotFoundException or InvalidOperationException)
            {
                await System.Console.Error.WriteLineAsync($"takcan: {e.Message}");
                return 1;
            }

            RigReport measured;
            try
            {
                measured = await new RigRunner(options, line => System.Console.WriteLine($"rig: {line}")).RunAsync(cancellation);
            }
            catch (RigException e)
            {
                await System.Console.Error.WriteLineAsync($"takcan: {e.Message}");
                return 1;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                await System.Console.Error.WriteLineAsync("takcan: rig interrupted; nodes stopped");
                return 130;
            }

            Print(measured);
            if (result.GetValue(report) is { } file)
            {
                await File.WriteAllTextAsync(file, measured.ToJson() + "\n", CancellationToken.None);
                System.Console.WriteLine($"report written to {Path.GetFullPath(file)}");
            }

            return measured.Complete && measured.LeftoverProcesses == 0 ? 0 : Incomplete;
        });
        return command;
    }

    private static void Print(RigReport report)
    {
        var console = ClientCommands.Output();
        var callsigns = report.Processes.Select(p => p.Callsign).ToArray();
        if (report.Nodes <= MatrixUpTo)
        {
            console.WriteLine();
            console.WriteLine("Who heard whom (row: receiver, column: origin). A number is the hops of its SA (0 = neighbour); " +
                              "x sa/chat/911 names what never arrived; '-' is beyond max hops; '!' arrived from beyond max hops.");
            var matrix = ClientCommands.NewTable(["", .. callsigns]);
            foreach (var to in callsigns)
            {
                var cells = callsigns.Select(from => from == to ? "·" : Cell(report.Pairs.Single(p => p.From == from && p.To == to)));
                matrix.AddRow([new Text(to), .. cells.Select(c => new Text(c))]);
            }

            console.Write(matrix);
        }

        var table = ClientCommands.NewTable("node", "pid", "links", "SA from", "chat from", "911", "relayed", "frames out/in", "drops");
        foreach (var node in report.Processes)
        {
            var incoming = report.Pairs.Where(p => p.To == node.Callsign && p.Expected).ToArray();
            table.AddRow(
                node.Callsign,
                node.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                $"{node.LinksUp}/{node.Peers.Count}",
                $"{incoming.Count(p => p.Sa)}/{incoming.Length}",
                $"{incoming.Count(p => p.Chat)}/{incoming.Length}",
                incoming.FirstOrDefault(p => p.Emergency is not null) is { } e ? (e.Emergency == true ? "yes" : "NO") : "-",
                node.Relayed.ToString(CultureInfo.InvariantCulture),
                $"{node.FramesSent}/{node.FramesReceived}",
                Markup.Escape(string.Join(' ', node.Drops.Where(d => d.Value > 0).Select(d => $"{d.Key} {d.Value}"))));
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Nodes} nodes, {report.Topology.ToString().ToLowerInvariant()}, max hops {report.MaxHops}: delivery {report.DeliveryRatio:0.####} " +
            $"(SA {Figures(report.Sa)}; chat {Figures(report.Chat)}{(report.Emergency is { } em ? $"; 911 {Figures(em)}" : "")})"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start {report.StartupS:0.0} s, links up {Seconds(report.LinksUpS)}, all delivered {Seconds(report.DeliveryS)} after the traffic, wall {report.WallS:0.0} s"));
        if (report.BeyondMaxHops.Count > 0)
            console.WriteLine($"beyond max hops ({report.BeyondMaxHops.Count} pairs, not expected): " +
                              string.Join(", ", report.BeyondMaxHops.Where(p => string.CompareOrdinal(p.From, p.To) < 0).Select(p => $"{p.From}↔{p.To} ({p.Distance})")));
        if (report.LeftoverProcesses > 0) console.WriteLine($"{report.LeftoverProcesses} node process(es) still running!");
    }

    private static string Cell(RigReport.Pair pair)
    {
        var missing = new List<string>();
        if (!pair.Sa) missing.Add("sa");
        if (!pair.Chat) missing.Add("chat");
        if (pair.Emergency == false) missing.Add("911");
        if (!pair.Expected) return pair.Sa || pair.Chat || pair.Emergency == true ? "!" : "-";
        if (missing.Count > 0) return "x " + string.Join('/', missing);
        return pair.SaHops?.ToString(CultureInfo.InvariantCulture) ?? "ok";
    }

    private static string Figures(RigReport.Delivery delivery) =>
        string.Create(CultureInfo.InvariantCulture, $"{delivery.Delivered}/{delivery.Expected}") +
        (delivery.LatencyMs is { } l ? string.Create(CultureInfo.InvariantCulture, $", latency p50 {l.P50:0.#} ms p95 {l.P95:0.#} ms max {l.Max:0.#} ms (n={l.Samples})") : "");

    private static string Seconds(double? seconds) =>
        seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s") : "never";
}
