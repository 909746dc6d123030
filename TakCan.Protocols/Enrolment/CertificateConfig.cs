using System.Xml;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// TAK Server's answer to <c>GET /Marti/api/tls/config</c>: the name entries a client certificate request must carry
/// besides CN. TAK Server checks the request has exactly CN plus these (specs/enrolment.md, "Exchange").
/// </summary>
/// <example>
/// <code>
/// &lt;ns2:certificateConfig xmlns:ns2="com.bbn.marti.config"&gt;
///   &lt;nameEntries&gt;&lt;nameEntry name="O" value="TAK"/&gt;&lt;nameEntry name="OU" value="Ops"/&gt;&lt;/nameEntries&gt;
/// &lt;/ns2:certificateConfig&gt;
/// </code>
/// </example>
public sealed record CertificateConfig
{
    public const int MaxCharacters = 64 * 1024;
    public const int MaxNameEntries = 16;
    public const int MaxValueLength = 64; // RFC 5280 upper bound for O and OU (ub-organization-name)

    public CertificateConfig(IReadOnlyList<CertificateNameEntry> nameEntries)
    {
        ArgumentNullException.ThrowIfNull(nameEntries);
        if (nameEntries.Count > MaxNameEntries)
            throw new EnrolmentException($"the server asks for {nameEntries.Count} name entries in the certificate; TAK Can accepts at most {MaxNameEntries}");
        foreach (var entry in nameEntries) Validate(entry);
        NameEntries = nameEntries.ToArray();
    }

    /// <summary>The entries in the order the server listed them.</summary>
    public IReadOnlyList<CertificateNameEntry> NameEntries { get; }

    /// <exception cref="EnrolmentException">Not a certificateConfig document, a DTD, or an entry TAK Can cannot put in a request.</exception>
    public static CertificateConfig Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        const string what = "server's certificate configuration (tls/config)";
        if (xml.Length > MaxCharacters)
            throw new EnrolmentException($"the {what} is {xml.Length} characters long, more than the {MaxCharacters} TAK Can accepts");
        var entries = new List<CertificateNameEntry>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), EnrolmentXml.Settings(MaxCharacters));
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "certificateConfig")
                throw new EnrolmentException($"the {what} is not a certificateConfig document (it starts with <{EnrolmentText.Shorten(reader.LocalName)}>); is this a TAK Server enrolment port?");
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "nameEntry") continue;
                if (entries.Count == MaxNameEntries)
                    throw new EnrolmentException($"the {what} lists more than {MaxNameEntries} name entries");
                var name = reader.GetAttribute("name");
                var value = reader.GetAttribute("value");
                if (name is null || value is null)
                    throw new EnrolmentException($"a nameEntry in the {what} lacks its name or value attribute");
                entries.Add(new CertificateNameEntry(name, value));
            }
        }
        catch (XmlException e)
        {
            throw EnrolmentXml.Refused(what, e);
        }

        return new CertificateConfig(entries);
    }

    /// <summary>The X.500 attribute type a short name stands for (BouncyCastle's table: O, OU, C, L, ST, DC…).</summary>
    internal static DerObjectIdentifier AttributeType(string name) =>
        X509Name.DefaultLookup.TryGetValue(name.ToLowerInvariant(), out var oid)
            ? oid
            : throw new EnrolmentException($"the server asks for a certificate name entry '{EnrolmentText.Shorten(name)}', which is not an X.500 attribute TAK Can knows");

    private static void Validate(CertificateNameEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var oid = AttributeType(entry.Name);
        if (oid.Equals(X509Name.CN))
            throw new EnrolmentException("the server asks for a CN name entry; the CN is always the user name, so this configuration cannot be met");
        if (entry.Value.Length == 0)
            throw new EnrolmentException($"the server's name entry {entry.Name} has an empty value; the TAK Server's CertificateSigning configuration needs fixing");
        if (entry.Value.Length > MaxValueLength)
            throw new EnrolmentException($"the server's name entry {entry.Name} is longer than {MaxValueLength} characters");
        if (EnrolmentText.HasControl(entry.Value))
            throw new EnrolmentException($"the server's name entry {entry.Name} contains control characters");
    }
}
