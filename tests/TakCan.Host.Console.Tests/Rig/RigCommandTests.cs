using System.Diagnostics;
using System.Globalization;
using TakCan.Host.Console.Rig;

namespace TakCan.Host.Console.Tests.Rig;

/// <summary>`takcan rig` end to end: three real node processes in a line, everything delivered, nothing left running.</summary>
public sealed class RigCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("takcan-rig-test-").FullName;

    [Fact]
    public async Task A_line_of_three_delivers_everything_and_leaves_no_process_behind()
    {
        var report = Path.Combine(_root, "report.json");
        var data = Path.Combine(_root, "nodes");
        // A random base port: other test runs on this machine may hold the default one.
        var basePort = (20_000 + Random.Shared.Next(0, 400) * 50).ToString(CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = await RunRigAsync(
            "rig", "--nodes", "3", "--topology", "line", "--base-port", basePort, "--duration", "20", "--data", data, "--report", report);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var rig = RigReport.FromJson(await File.ReadAllTextAsync(report));
        Assert.True(rig.Complete, stdout);
        Assert.Equal(1.0, rig.DeliveryRatio);
        Assert.Equal(2, rig.MaxHops);
        Assert.Empty(rig.BeyondMaxHops);
        Assert.Equal(6, rig.Sa.Delivered);
        Assert.Equal(6, rig.Chat.Delivered);
        Assert.Equal(2, rig.Emergency!.Delivered);

        // RIG-3 hears RIG-1 through RIG-2: one relay. Neighbours hear each other directly.
        var far = rig.Pairs.Single(p => p.From == "RIG-1" && p.To == "RIG-3");
        Assert.Equal(2, far.Distance);
        Assert.Equal(1, far.SaHops);
        Assert.Equal(1, far.ChatHops);
        Assert.All(rig.Pairs.Where(p => p.Distance == 1), p => Assert.Equal(0, p.SaHops));
        Assert.NotNull(rig.Sa.LatencyMs);

        Assert.Equal(0, rig.LeftoverProcesses);
        foreach (var node in rig.Processes)
            Assert.False(IsRunningIn(node.Pid!.Value, node.DataDir), $"{node.Callsign} (pid {node.Pid}) is still running");
        Assert.False(Directory.Exists(data), "the node data directories are deleted without --keep");
    }

    /// <summary>Runs `takcan rig`; a rig that hangs is killed with its whole process tree, so a failing test leaves no nodes either.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunRigAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "takcan.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Whether <paramref name="pid"/> is (still) a process started on <paramref name="dataDirectory"/>, not a new one that reuses the pid.</summary>
    private static bool IsRunningIn(int pid, string dataDirectory)
    {
        var cmdline = $"/proc/{pid}/cmdline";
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return File.ReadAllText(cmdline).Contains(dataDirectory, StringComparison.Ordinal);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
