namespace TakCan.Host.Console.Node;

/// <summary>What `takcan node` was given on the command line; each set value overrides the config file.</summary>
public sealed record NodeOptions
{
    public string? ConfigFile { get; init; }

    public string? DataDirectory { get; init; }

    public string? ApiUrl { get; init; }

    public string? Bind { get; init; }

    public IReadOnlyList<string> Peers { get; init; } = [];

    public bool? Discovery { get; init; }

    public string? Callsign { get; init; }

    public string? Team { get; init; }
}
