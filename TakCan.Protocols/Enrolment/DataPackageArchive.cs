using System.IO.Compression;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// A data package zip opened defensively: the whole package is refused when any entry name could escape the folder
/// it is extracted to (zip-slip: <c>..</c>, absolute paths, drive letters), when names repeat, or when it has too many
/// entries; entries are read through a byte budget that holds whatever sizes the zip claims (zip bombs).
/// </summary>
internal sealed class DataPackageArchive : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly DataPackageLimits _limits;
    private readonly Dictionary<string, ZipArchiveEntry> _files;
    private long _bytesRead;

    private DataPackageArchive(ZipArchive zip, DataPackageLimits limits, Dictionary<string, ZipArchiveEntry> files)
    {
        _zip = zip;
        _limits = limits;
        _files = files;
    }

    /// <summary>File entries (not folders), by name with '/' separators.</summary>
    public IEnumerable<string> FileNames => _files.Keys;

    /// <exception cref="EnrolmentException">Too large, not a zip, a hostile entry name, too many entries.</exception>
    public static DataPackageArchive Open(Stream package, DataPackageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(limits);
        var seekable = package.CanSeek ? package : Buffer(package, limits.MaxPackageBytes);
        if (seekable.Length - seekable.Position > limits.MaxPackageBytes)
            throw new EnrolmentException($"the data package is {seekable.Length - seekable.Position} bytes, more than the {limits.MaxPackageBytes} TAK Can opens");

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: ReferenceEquals(seekable, package));
        }
        catch (InvalidDataException e)
        {
            throw new EnrolmentException("the data package is not a zip file, or it is damaged", e);
        }

        try
        {
            if (zip.Entries.Count > limits.MaxEntries)
                throw new EnrolmentException($"the data package has {zip.Entries.Count} entries, more than the {limits.MaxEntries} TAK Can opens");
            var files = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in zip.Entries)
            {
                var name = SafeName(entry.FullName, limits);
                if (name.EndsWith('/')) continue; // a folder
                if (!files.TryAdd(name, entry))
                    throw new EnrolmentException($"the data package holds '{EnrolmentText.Shorten(name)}' twice; it is damaged or crafted, ask for a new package");
            }

            return new DataPackageArchive(zip, limits, files);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The name with '/' separators; throws for a name that is absolute, climbs with <c>..</c>, names a drive or
    /// stream (':'), or has control characters.
    /// </summary>
    public static string SafeName(string name, DataPackageLimits limits)
    {
        if (name.Length == 0)
            throw new EnrolmentException("the data package has an entry without a name; it is damaged or crafted");
        if (name.Length > limits.MaxEntryNameLength)
            throw new EnrolmentException($"the data package has an entry name longer than {limits.MaxEntryNameLength} characters");
        if (EnrolmentText.HasControl(name))
            throw new EnrolmentException($"the data package has an entry name with control characters ('{EnrolmentText.Shorten(name)}'); it is crafted, TAK Can refuses it");
        // Windows-made zips may use '\'; an extractor on Windows treats it as a separator, so judge it as one.
        var normal = name.Replace('\\', '/');
        if (normal.StartsWith('/') || normal.Contains(':'))
            throw new EnrolmentException($"the data package entry '{EnrolmentText.Shorten(name)}' is an absolute path; it could write outside the package folder, so TAK Can refuses the package");
        if (normal.Split('/').Any(segment => segment == ".."))
            throw new EnrolmentException($"the data package entry '{EnrolmentText.Shorten(name)}' climbs out of its folder with '..' (zip-slip); TAK Can refuses the package");
        return normal;
    }

    public bool Contains(string name) => _files.ContainsKey(name);

    /// <summary>The entry's bytes, within the per-entry and per-package budgets.</summary>
    /// <exception cref="EnrolmentException">The entry is missing, over budget, or damaged.</exception>
    public byte[] Read(string name)
    {
        if (!_files.TryGetValue(name, out var entry))
            throw new EnrolmentException($"the data package has no entry '{EnrolmentText.Shorten(name)}'");
        if (entry.Length > _limits.MaxEntryBytes)
            throw new EnrolmentException($"the data package entry '{EnrolmentText.Shorten(name)}' is {entry.Length} bytes uncompressed, more than the {_limits.MaxEntryBytes} TAK Can reads");

        // The sizes in a zip are claims; count what actually comes out of the decompressor.
        var budget = Math.Min(_limits.MaxEntryBytes, _limits.MaxTotalBytes - _bytesRead);
        try
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > budget)
                    throw new EnrolmentException($"the data package entry '{EnrolmentText.Shorten(name)}' inflates beyond what TAK Can reads ({budget} bytes left); it looks like a zip bomb, TAK Can refuses the package");
                buffer.Write(chunk, 0, read);
            }

            _bytesRead += buffer.Length;
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new EnrolmentException($"the data package entry '{EnrolmentText.Shorten(name)}' is damaged", e);
        }
    }

    public void Dispose() => _zip.Dispose();

    private static MemoryStream Buffer(Stream package, long maxBytes)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = package.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new EnrolmentException($"the data package is more than the {maxBytes} bytes TAK Can opens");
            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }
}
