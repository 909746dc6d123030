using System.Security.Cryptography;

namespace TakCan.Actors.Platform;

/// <summary>
/// <see cref="IKeyStore"/> on a directory: one file a name, mode 0600, in a directory created 0700.
/// A save writes a temporary file that is 0600 from its creation (no window in which another user could open it),
/// flushes it to disk and renames it over the old one, so a reader sees the old secret or the new, never half of one.
/// </summary>
public sealed class FileKeyStore : IKeyStore
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const string TempSuffix = ".tmp";

    /// <param name="directory">Created with mode 0700 when missing; an existing directory keeps its mode.</param>
    public FileKeyStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(Directory))
        {
            if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(Directory);
            else System.IO.Directory.CreateDirectory(Directory, DirectoryMode);
        }
    }

    public string Directory { get; }

    /// <summary>The file a name maps to; throws <see cref="ArgumentException"/> for a name that could leave the directory.</summary>
    public string PathOf(string name)
    {
        ValidateName(name);
        return Path.Combine(Directory, name);
    }

    public async Task SaveAsync(string name, ReadOnlyMemory<byte> secret, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        // Hidden and random, so it can neither clash with a stored name nor be guessed ahead of time.
        var temp = Path.Combine(Directory, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}{TempSuffix}");
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;

        try
        {
            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(secret, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            // The umask can only take bits away from 0600; set it exactly so a strict umask leaves a usable file.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, FileMode);
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    public async Task<byte[]?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        return Task.FromResult(true);
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a stray hidden temp file is harmless.
        }
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/') || name.Contains('\\') || name.Contains("..") || name == "." ||
            name.Any(char.IsControl) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{name}' is not a key store name: use a plain file name without path separators or '..'", nameof(name));
    }
}
