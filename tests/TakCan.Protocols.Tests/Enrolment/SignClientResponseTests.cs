using System.Text.Json;
using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class SignClientResponseTests
{
    [Fact]
    public void Reads_a_TAK_Server_answer_with_wrapped_base64_and_CAs_in_index_order()
    {
        using var root = TestCertificates.Ca("Root CA");
        using var intermediate = TestCertificates.Ca("Intermediate CA");
        using var client = TestCertificates.Client(intermediate, "alice");
        var cas = Enumerable.Range(0, 11).Select(i => i % 2 == 0 ? intermediate : root).ToArray();
        // Pretty-printed and out of order, as a Jackson ObjectNode may come.
        var members = new Dictionary<string, string> { ["ca10"] = TestCertificates.TakBase64(cas[10]), ["signedCert"] = TestCertificates.TakBase64(client) };
        for (var i = 0; i < 10; i++) members[$"ca{i}"] = TestCertificates.TakBase64(cas[i]);
        members["other"] = "ignored";
        var json = JsonSerializer.Serialize(members, new JsonSerializerOptions { WriteIndented = true });

        var response = SignClientResponse.Parse(json);

        Assert.Equal(client.RawData, response.SignedCertificate.RawData);
        Assert.Equal(cas.Select(c => c.RawData), response.CaCertificates.Select(c => c.RawData));
    }

    [Fact]
    public void Reads_PEM_armoured_values()
    {
        using var ca = TestCertificates.Ca("CA");
        using var client = TestCertificates.Client(ca, "alice");
        var json = JsonSerializer.Serialize(new { signedCert = client.ExportCertificatePem(), ca0 = ca.ExportCertificatePem() });

        var response = SignClientResponse.Parse(json);

        Assert.Equal(client.Thumbprint, response.SignedCertificate.Thumbprint);
        Assert.Equal(ca.Thumbprint, Assert.Single(response.CaCertificates).Thumbprint);
    }

    [Theory]
    [InlineData("<html>Internal Server Error</html>", "not JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"ca0\":\"AAAA\"}", "no signedCert")]
    [InlineData("{\"signedCert\":\"AAAA\"}", "no CA certificate")]
    [InlineData("{\"signedCert\":5,\"ca0\":\"AAAA\"}", "not a string")]
    [InlineData("{\"signedCert\":\"***\",\"ca0\":\"AAAA\"}", "not base64")]
    [InlineData("{\"signedCert\":\"AAAA\",\"ca0\":\"AAAA\"}", "not an X.509 certificate")]
    [InlineData("{\"signedCert\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}", "not JSON")]
    public void Refuses_what_is_not_a_signing_answer(string json, string reason)
    {
        Assert.Contains(reason, Assert.Throws<EnrolmentException>(() => SignClientResponse.Parse(json)).Message);
    }

    [Fact]
    public void Refuses_a_huge_answer_and_too_many_CAs()
    {
        Assert.Contains("more than the", Assert.Throws<EnrolmentException>(() =>
            SignClientResponse.Parse("{\"signedCert\":\"" + new string('A', 300_000) + "\"}")).Message);
        var many = "{" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"ca{i}\":\"AAAA\"")) + "}";
        Assert.Contains("more than 16", Assert.Throws<EnrolmentException>(() => SignClientResponse.Parse(many)).Message);
    }
}
