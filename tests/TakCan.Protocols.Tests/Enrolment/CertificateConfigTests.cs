using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class CertificateConfigTests
{
    // As TAK Server's JAXB marshaller writes it (CertManagerApi.getConfig).
    private const string TakAnswer =
        """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ns2:certificateConfig xmlns="http://bbn.com/marti/xml/config" xmlns:ns2="com.bbn.marti.config"><nameEntries><nameEntry name="O" value="Test Org Name"/><nameEntry name="OU" value="Test Org Unit Name"/></nameEntries></ns2:certificateConfig>""";

    [Fact]
    public void Reads_the_name_entries_of_a_TAK_Server_answer_in_order()
    {
        var config = CertificateConfig.Parse(TakAnswer);

        Assert.Equal(
            [new CertificateNameEntry("O", "Test Org Name"), new CertificateNameEntry("OU", "Test Org Unit Name")],
            config.NameEntries);
    }

    [Fact]
    public void A_configuration_without_entries_asks_for_CN_only()
    {
        Assert.Empty(CertificateConfig.Parse("<certificateConfig/>").NameEntries);
        Assert.Empty(CertificateConfig.Parse("<certificateConfig><nameEntries/></certificateConfig>").NameEntries);
    }

    [Fact]
    public void Refuses_a_DTD_with_entity_expansion()
    {
        const string laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <certificateConfig><nameEntries><nameEntry name="O" value="&lol2;"/></nameEntries></certificateConfig>
            """;

        var e = Assert.Throws<EnrolmentException>(() => CertificateConfig.Parse(laughs));

        Assert.Contains("DTD", e.Message);
    }

    [Fact]
    public void Refuses_an_external_entity()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <certificateConfig><nameEntries><nameEntry name="O" value="&x;"/></nameEntries></certificateConfig>
            """;

        Assert.Contains("DTD", Assert.Throws<EnrolmentException>(() => CertificateConfig.Parse(xxe)).Message);
    }

    [Theory]
    [InlineData("<html><body>login</body></html>", "not a certificateConfig")]
    [InlineData("not xml", "not well-formed")]
    [InlineData("<certificateConfig><nameEntries><nameEntry name=\"O\"/></nameEntries></certificateConfig>", "lacks its name or value")]
    [InlineData("<certificateConfig><nameEntries><nameEntry name=\"XYZZY\" value=\"a\"/></nameEntries></certificateConfig>", "not an X.500 attribute")]
    [InlineData("<certificateConfig><nameEntries><nameEntry name=\"CN\" value=\"a\"/></nameEntries></certificateConfig>", "CN name entry")]
    [InlineData("<certificateConfig><nameEntries><nameEntry name=\"O\" value=\"\"/></nameEntries></certificateConfig>", "empty value")]
    [InlineData("<certificateConfig><nameEntries><nameEntry name=\"O\" value=\"a&#10;b\"/></nameEntries></certificateConfig>", "control characters")]
    public void Refuses_what_cannot_be_a_certificate_request_name(string xml, string reason)
    {
        Assert.Contains(reason, Assert.Throws<EnrolmentException>(() => CertificateConfig.Parse(xml)).Message);
    }

    [Fact]
    public void Refuses_too_many_entries_and_too_large_a_document()
    {
        var many = "<certificateConfig><nameEntries>" +
                   string.Concat(Enumerable.Range(0, 20).Select(i => $"<nameEntry name=\"OU\" value=\"u{i}\"/>")) +
                   "</nameEntries></certificateConfig>";
        Assert.Contains("more than 16", Assert.Throws<EnrolmentException>(() => CertificateConfig.Parse(many)).Message);
        Assert.Contains("more than the", Assert.Throws<EnrolmentException>(() =>
            CertificateConfig.Parse("<certificateConfig>" + new string(' ', 70_000) + "</certificateConfig>")).Message);
    }
}
