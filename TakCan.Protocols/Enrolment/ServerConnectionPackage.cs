using System.Globalization;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// A TAK server-connection data package (.zip): a <c>*.pref</c> with <c>cot_streams</c> and the <c>.p12</c> files it
/// names, optionally listed by <c>MANIFEST/manifest.xml</c>. Reading validates everything a device would rely on:
/// entry names, sizes, XML, that each named .p12 is in the package and opens with its password, that a client
/// certificate carries its private key. Layout and limits: specs/enrolment.md, "Data package import".
/// </summary>
public sealed record ServerConnectionPackage(MissionPackageManifest? Manifest, IReadOnlyList<PackagedServerConnection> Connections)
{
    /// <exception cref="EnrolmentException">The package is hostile, damaged, or has no usable server connection.</exception>
    public static ServerConnectionPackage Read(Stream zip, DataPackageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        limits ??= DataPackageLimits.Default;
        using var archive = DataPackageArchive.Open(zip, limits);

        var manifestName = archive.FileNames.FirstOrDefault(name =>
            name.Equals(MissionPackageManifest.EntryName, StringComparison.OrdinalIgnoreCase));
        MissionPackageManifest? manifest = null;
        IReadOnlyList<string> contents;
        if (manifestName is null)
        {
            contents = archive.FileNames.ToArray();
        }
        else
        {
            using (var bytes = new MemoryStream(archive.Read(manifestName)))
                manifest = MissionPackageManifest.Parse(bytes, limits.MaxEntryBytes);
            // With a manifest, its contents are the package: files it does not list, or marks ignore, are not used.
            contents = manifest.Contents
                .Where(content => !content.Ignore)
                .Select(content => DataPackageArchive.SafeName(content.ZipEntry, limits))
                .Select(name => archive.Contains(name)
                    ? name
                    : throw new EnrolmentException($"the package manifest lists '{EnrolmentText.Shorten(name)}', which the package does not contain; it is damaged, ask for a new package"))
                .ToArray();
        }

        var prefFiles = contents.Where(name => name.EndsWith(".pref", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (prefFiles.Length == 0)
            throw new EnrolmentException("the data package has no .pref file, so it holds no server connection");
        var preferences = AtakPreferences.Merge(prefFiles.Select(name =>
        {
            using var bytes = new MemoryStream(archive.Read(name));
            return AtakPreferences.Parse(bytes, $"{name} in the data package", limits.MaxEntryBytes);
        }));

        var countText = preferences.Get(AtakPreferences.CotStreams, "count");
        if (countText is null)
            throw new EnrolmentException("the data package's .pref has no cot_streams count, so it holds no server connection");
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            throw new EnrolmentException($"the data package's cot_streams count '{EnrolmentText.Shorten(countText)}' is not a number of connections");
        if (count > limits.MaxConnections)
            throw new EnrolmentException($"the data package has {count} server connections; TAK Can takes at most {limits.MaxConnections} from one package");

        var connections = new List<PackagedServerConnection>(count);
        for (var i = 0; i < count; i++)
            connections.Add(ReadConnection(i, preferences, contents, archive));
        return new ServerConnectionPackage(manifest, connections);
    }

    private static PackagedServerConnection ReadConnection(int i, AtakPreferences preferences, IReadOnlyList<string> contents, DataPackageArchive archive)
    {
        string? Stream(string key) => preferences.Get(AtakPreferences.CotStreams, key + i.ToString(CultureInfo.InvariantCulture));
        // The truststore and client certificate may be given per stream (caLocation0) or for the app (caLocation).
        string? StreamOrApp(string key) => Stream(key) ?? preferences.Get(AtakPreferences.AppPreferences, key);

        var connect = Stream("connectString")
            ?? throw new EnrolmentException($"server connection {i} in the data package has no connectString{i}");
        var server = TakConnectString.Parse(connect);
        var truststore = Certificate(StreamOrApp("caLocation"), StreamOrApp("caPassword"), "truststore", contents, archive);
        var client = Certificate(StreamOrApp("certificateLocation"), StreamOrApp("clientPassword"), "client certificate", contents, archive);

        if (truststore is not null)
        {
            var certificates = truststore.Open();
            try
            {
                if (certificates.Count == 0)
                    throw new EnrolmentException($"the truststore {truststore.EntryName} in the data package holds no certificate");
            }
            finally
            {
                foreach (var certificate in certificates) certificate.Dispose();
            }
        }

        if (client is not null)
        {
            var certificates = client.Open();
            try
            {
                var withKey = certificates.Count(certificate => certificate.HasPrivateKey);
                if (withKey != 1)
                    throw new EnrolmentException($"the client certificate {client.EntryName} in the data package holds {withKey} certificates with a private key; it needs exactly one");
            }
            finally
            {
                foreach (var certificate in certificates) certificate.Dispose();
            }
        }

        return new PackagedServerConnection(
            server,
            Stream("description"),
            Flag(Stream("enabled"), true),
            Flag(Stream("useAuth"), false),
            Flag(Stream("enrollForCertificateWithTrust"), false),
            truststore,
            client);
    }

    private static PackagedCertificate? Certificate(string? location, string? password, string what, IReadOnlyList<string> contents, DataPackageArchive archive)
    {
        if (string.IsNullOrWhiteSpace(location)) return null;
        // The .pref names where ATAK will keep the file on the device (cert/x.p12, /sdcard/atak/cert/x.p12);
        // the package holds it under the same file name.
        var fileName = location.Replace('\\', '/').Split('/')[^1];
        var matches = contents.Where(name => name.Split('/')[^1].Equals(fileName, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length == 0)
            throw new EnrolmentException($"the data package's .pref names '{EnrolmentText.Shorten(location)}' as the {what}, but the package does not contain {EnrolmentText.Shorten(fileName)}");
        if (matches.Length > 1)
            throw new EnrolmentException($"the data package holds {matches.Length} files named {EnrolmentText.Shorten(fileName)}, so the {what} is ambiguous");
        return new PackagedCertificate(matches[0], archive.Read(matches[0]), password);
    }

    private static bool Flag(string? value, bool absent) => value is null ? absent : bool.TryParse(value, out var flag) ? flag : absent;
}
