namespace TakCan.Protocols.Enrolment;

/// <summary>
/// Bounds on a data package TAK Can opens, so a hostile or mistaken zip (a zip bomb, thousands of entries) costs
/// bounded memory and time. A real server-connection package is a few kilobytes.
/// </summary>
public sealed record DataPackageLimits
{
    public static DataPackageLimits Default { get; } = new();

    /// <summary>Largest package file (compressed), in bytes.</summary>
    public long MaxPackageBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Most entries (files and folders) in the zip.</summary>
    public int MaxEntries { get; init; } = 512;

    /// <summary>Largest uncompressed entry TAK Can reads, in bytes.</summary>
    public long MaxEntryBytes { get; init; } = 1024 * 1024;

    /// <summary>Most uncompressed bytes read from one package, all entries together.</summary>
    public long MaxTotalBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Longest entry name.</summary>
    public int MaxEntryNameLength { get; init; } = 512;

    /// <summary>Most server connections (<c>cot_streams</c> count) taken from a package.</summary>
    public int MaxConnections { get; init; } = 16;
}
