using System.Diagnostics;

namespace TakCan.Host.Console.Rig;

/// <summary>How to start a <c>takcan</c> process: an apphost (<c>takcan</c>) as it is, an assembly (<c>takcan.dll</c>) through <c>dotnet</c>.</summary>
/// <param name="FileName">The program to run.</param>
/// <param name="Prefix">Arguments before the verb: the assembly path when <paramref name="FileName"/> is dotnet.</param>
public sealed record TakcanExecutable(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>
    /// The running <c>takcan</c>: the apphost itself (<c>dotnet run</c> runs the apphost in bin/), or, when this process
    /// is <c>dotnet takcan.dll</c>, the same dotnet with the same assembly.
    /// </summary>
    public static TakcanExecutable Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running takcan is unknown; give --takcan PATH");
        return IsDotnet(process)
            ? new TakcanExecutable(process, [typeof(TakcanExecutable).Assembly.Location])
            : new TakcanExecutable(process, []);
    }

    /// <summary>A path given with <c>--takcan</c>: an apphost, or a <c>.dll</c> to run with dotnet.</summary>
    /// <exception cref="FileNotFoundException">Nothing at <paramref name="path"/>.</exception>
    public static TakcanExecutable From(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"no takcan at {full}", full);
        if (!full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return new TakcanExecutable(full, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Environment.ProcessPath is { } self && IsDotnet(self) ? self
            : "dotnet";
        return new TakcanExecutable(dotnet, [full]);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Prefix.Concat(arguments)) start.ArgumentList.Add(argument);
        return start;
    }

    public override string ToString() => string.Join(' ', Prefix.Prepend(FileName));

    private static bool IsDotnet(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
