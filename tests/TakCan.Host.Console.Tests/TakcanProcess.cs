using System.Diagnostics;

namespace TakCan.Host.Console.Tests;

/// <summary>Runs the real <c>takcan</c> (the referenced host's takcan.dll, copied next to this assembly) as a child process.</summary>
internal static class TakcanProcess
{
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "takcan.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await copyOut;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunTextAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(null, args);
        return (code, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }
}
