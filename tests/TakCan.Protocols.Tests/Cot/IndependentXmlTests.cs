using Xunit.Sdk;

namespace TakCan.Protocols.Tests.Cot;

/// <summary>The oracle of the round-trip tests must itself catch losses, or its green means nothing.</summary>
public class IndependentXmlTests
{
    private const string Original =
        "<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/>" +
        "<detail><a x='1'><b/>text</a><c/></detail></event>";

    [Fact]
    public void Accepts_equivalent_output()
    {
        IndependentXml.AssertSurvives(Original,
            "<event uid=\"u\" type=\"t\" time=\"2024-05-01T12:00:00.500Z\" how=\"\"><point lat=\"1.0\" lon=\"2.0\" hae=\"0.0\"/>" +
            "<detail><a x=\"1.0\"><b></b>text</a><c/></detail></event>");
    }

    [Theory]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><a><b/>text</a><c/></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><a x='2'><b/>text</a><c/></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.501Z'><point lat='1' lon='2'/><detail><a x='1'><b/>text</a><c/></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><c/><a x='1'><b/>text</a></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><a x='1'>text</a><c/></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><a x='1'><b/>text!</a><c/></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><point lat='1' lon='2'/><detail><a x='1'><b/>text</a></detail></event>")]
    [InlineData("<event uid='u' type='t' time='2024-05-01T12:00:00.5Z'><detail><a x='1'><b/>text</a><c/></detail></event>")]
    public void Flags_a_loss(string output)
    {
        Assert.ThrowsAny<XunitException>(() => IndependentXml.AssertSurvives(Original, output));
    }
}
