namespace TakCan.Host.Console.Node;

/// <summary>
/// Where a node keeps its TAK servers (specs/server-links.md, "Configured servers"): the servers file, which the
/// servers actor reads at start and rewrites on every change, and the key store that enrolment and data-package
/// import put certificates in.
/// </summary>
public static class ServersFile
{
    public const string DefaultName = "servers.json";

    /// <summary>The key store directory (0700, one 0600 file per item).</summary>
    public const string CredentialsDirectoryName = "credentials";

    /// <summary>Where pulled DataSync missions keep their contents, one folder per mission (specs/marti.md).</summary>
    public const string MissionsDirectoryName = "missions";

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, DefaultName);

    public static string CredentialsDirectory(string dataDirectory) => Path.Combine(dataDirectory, CredentialsDirectoryName);

    public static string MissionsDirectory(string dataDirectory) => Path.Combine(dataDirectory, MissionsDirectoryName);
}
