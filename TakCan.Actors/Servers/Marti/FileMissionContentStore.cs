using System.Security.Cryptography;
using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// <see cref="IMissionContentStore"/> on a directory (<c>&lt;data dir&gt;/missions</c>): one folder per mission
/// (<see cref="MissionFileName"/>), one file per content named by its hash in lower case. A save writes a hidden
/// temporary file and renames it over the old one, so a reader never sees half a file, and a file that exists is
/// complete.
/// </summary>
public sealed class FileMissionContentStore : IMissionContentStore
{
    public FileMissionContentStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The file a mission's content lives in.</summary>
    /// <exception cref="MartiException">The hash is not 64 hex digits or the mission name is empty.</exception>
    public string PathOf(string mission, string hash) =>
        Path.Combine(Directory, MissionFileName.For(mission), MartiContentHash.Normalize(hash));

    public Task<bool> ContainsAsync(string mission, string hash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(PathOf(mission, hash)));
    }

    public async Task SaveAsync(string mission, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(mission, hash);
        var folder = Path.GetDirectoryName(path)!;
        System.IO.Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The original failure is the one worth reporting; a stray hidden temp file is harmless.
            }

            throw;
        }
    }
}
