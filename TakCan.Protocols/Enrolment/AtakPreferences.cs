using System.Xml;
using System.Xml.Linq;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// An ATAK preference file (<c>*.pref</c>) as found in data packages: named preference sets of key/value entries.
/// </summary>
/// <example>
/// <code>
/// &lt;preferences&gt;
///   &lt;preference version="1" name="cot_streams"&gt;
///     &lt;entry key="count" class="class java.lang.Integer"&gt;1&lt;/entry&gt;
///     &lt;entry key="connectString0" class="class java.lang.String"&gt;tak.example.org:8089:ssl&lt;/entry&gt;
///   &lt;/preference&gt;
/// &lt;/preferences&gt;
/// </code>
/// </example>
public sealed record AtakPreferences
{
    public const string CotStreams = "cot_streams";
    public const string AppPreferences = "com.atakmap.app_preferences";

    public AtakPreferences(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> sets) => Sets = sets;

    /// <summary>Preference sets by name; within a set, entry values by key (a repeated key keeps its last value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sets { get; }

    /// <summary>The value of <paramref name="key"/> in the set <paramref name="set"/>, or null.</summary>
    public string? Get(string set, string key) =>
        Sets.TryGetValue(set, out var entries) && entries.TryGetValue(key, out var value) ? value : null;

    /// <summary>Reads one .pref document; <paramref name="what"/> names it in errors.</summary>
    /// <exception cref="EnrolmentException">Not a preferences document, a DTD, malformed XML.</exception>
    public static AtakPreferences Parse(Stream pref, string what, long maxCharacters = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(pref);
        var sets = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        XElement root;
        try
        {
            // From bytes, so the declaration's encoding (ATAK writes encoding="ASCII") is honoured.
            using var reader = XmlReader.Create(pref, EnrolmentXml.Settings(maxCharacters));
            root = XDocument.Load(reader).Root!;
        }
        catch (XmlException e)
        {
            throw EnrolmentXml.Refused(what, e);
        }

        if (root.Name.LocalName != "preferences")
            throw new EnrolmentException($"{what} is not an ATAK preference file (no <preferences>)");
        foreach (var preference in root.Elements().Where(e => e.Name.LocalName == "preference"))
        {
            var name = (string?)preference.Attribute("name")
                ?? throw new EnrolmentException($"a <preference> in {what} has no name");
            if (!sets.TryGetValue(name, out var entries)) sets[name] = entries = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in preference.Elements().Where(e => e.Name.LocalName == "entry"))
            {
                var key = (string?)entry.Attribute("key")
                    ?? throw new EnrolmentException($"an <entry> in {what} has no key");
                entries[key] = entry.Value.Trim();
            }
        }

        return new AtakPreferences(sets.ToDictionary(
            set => set.Key, IReadOnlyDictionary<string, string> (set) => set.Value, StringComparer.Ordinal));
    }

    /// <summary>Later files win where two name the same key in the same set (ATAK applies them in turn).</summary>
    public static AtakPreferences Merge(IEnumerable<AtakPreferences> files)
    {
        var sets = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in files)
        foreach (var (name, entries) in file.Sets)
        {
            if (!sets.TryGetValue(name, out var into)) sets[name] = into = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in entries) into[key] = value;
        }

        return new AtakPreferences(sets.ToDictionary(
            set => set.Key, IReadOnlyDictionary<string, string> (set) => set.Value, StringComparer.Ordinal));
    }
}
