using System.Xml;
using System.Xml.Linq;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// <c>MANIFEST/manifest.xml</c> of a TAK data package, <c>&lt;MissionPackageManifest version="2"&gt;</c>:
/// <c>&lt;Configuration&gt;</c> parameters (<c>uid</c> and <c>name</c> required) and the <c>&lt;Contents&gt;</c> list.
/// </summary>
public sealed record MissionPackageManifest
{
    public const string EntryName = "MANIFEST/manifest.xml";
    public const int MaxContents = 512;

    public MissionPackageManifest(string uid, string name, IReadOnlyDictionary<string, string> configuration, IReadOnlyList<MissionPackageContent> contents)
    {
        Uid = uid;
        Name = name;
        Configuration = configuration;
        Contents = contents;
    }

    public string Uid { get; }

    public string Name { get; }

    /// <summary>Every Configuration parameter, including uid and name (remarks, onReceiveImport, onReceiveDelete…).</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; }

    public IReadOnlyList<MissionPackageContent> Contents { get; }

    /// <exception cref="EnrolmentException">Not a version 2 manifest, uid or name missing, a DTD, malformed XML.</exception>
    public static MissionPackageManifest Parse(string xml, long maxCharacters = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = XmlReader.Create(new StringReader(xml), EnrolmentXml.Settings(maxCharacters));
        return Parse(reader);
    }

    /// <summary>Reads the manifest from its bytes, honouring the encoding its declaration names.</summary>
    /// <exception cref="EnrolmentException">Not a version 2 manifest, uid or name missing, a DTD, malformed XML.</exception>
    public static MissionPackageManifest Parse(Stream xml, long maxCharacters = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = XmlReader.Create(xml, EnrolmentXml.Settings(maxCharacters));
        return Parse(reader);
    }

    private static MissionPackageManifest Parse(XmlReader reader)
    {
        const string what = "package manifest (MANIFEST/manifest.xml)";
        XElement root;
        try
        {
            root = XDocument.Load(reader).Root!;
        }
        catch (XmlException e)
        {
            throw EnrolmentXml.Refused(what, e);
        }

        if (root.Name.LocalName != "MissionPackageManifest")
            throw new EnrolmentException($"the {what} is not a MissionPackageManifest");
        var version = (string?)root.Attribute("version");
        if (version != "2")
            throw new EnrolmentException($"the {what} is version '{EnrolmentText.Shorten(version ?? "")}'; TAK Can reads version 2");

        var configuration = Parameters(Children(root, "Configuration").SelectMany(c => Children(c, "Parameter")), what);
        var contents = new List<MissionPackageContent>();
        foreach (var content in Children(root, "Contents").SelectMany(c => Children(c, "Content")))
        {
            if (contents.Count == MaxContents)
                throw new EnrolmentException($"the {what} lists more than {MaxContents} contents");
            var entry = (string?)content.Attribute("zipEntry");
            if (string.IsNullOrEmpty(entry))
                throw new EnrolmentException($"a Content in the {what} has no zipEntry");
            var ignore = string.Equals((string?)content.Attribute("ignore"), "true", StringComparison.OrdinalIgnoreCase);
            contents.Add(new MissionPackageContent(entry, ignore, Parameters(Children(content, "Parameter"), what)));
        }

        if (!configuration.TryGetValue("uid", out var uid) || uid.Length == 0)
            throw new EnrolmentException($"the {what} has no uid parameter");
        if (!configuration.TryGetValue("name", out var name) || name.Length == 0)
            throw new EnrolmentException($"the {what} has no name parameter");
        return new MissionPackageManifest(uid, name, configuration, contents);
    }

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    private static Dictionary<string, string> Parameters(IEnumerable<XElement> parameters, string what)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var name = (string?)parameter.Attribute("name");
            var value = (string?)parameter.Attribute("value");
            if (name is null || value is null)
                throw new EnrolmentException($"a Parameter in the {what} lacks its name or value");
            values[name] = value;
        }

        return values;
    }
}
