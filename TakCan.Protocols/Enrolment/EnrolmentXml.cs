using System.Xml;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// Reader settings for every XML document enrolment reads (tls/config answers, package manifests, .pref files): they
/// come from a server or a file someone sent, so DTDs and external resources are refused (XXE, entity expansion) and
/// the size is bounded.
/// </summary>
internal static class EnrolmentXml
{
    public static XmlReaderSettings Settings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>The error for a document the reader refused, naming it as <paramref name="what"/>.</summary>
    public static EnrolmentException Refused(string what, XmlException e)
    {
        if (e.Message.Contains("DTD", StringComparison.Ordinal))
            return new EnrolmentException($"the {what} declares a DTD, which TAK Can refuses (it can hide entity-expansion and file-reading attacks)", e);
        if (e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal))
            return new EnrolmentException($"the {what} is larger than TAK Can accepts", e);
        return new EnrolmentException($"the {what} is not well-formed XML: {e.Message}", e);
    }
}
