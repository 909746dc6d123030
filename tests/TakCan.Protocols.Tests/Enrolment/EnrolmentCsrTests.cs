using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using TakCan.Protocols.Enrolment;

namespace TakCan.Protocols.Tests.Enrolment;

public sealed class EnrolmentCsrTests
{
    private static readonly CertificateConfig TakConfig = new([new("O", "TAK"), new("OU", "#Ops, West")]);

    [Fact]
    public void An_RSA_request_is_signed_and_names_exactly_the_entries_then_CN()
    {
        using var key = RSA.Create(2048);

        var der = EnrolmentCsr.Build("alice", TakConfig, key);

        var request = new Pkcs10CertificationRequest(der);
        Assert.True(request.Verify());
        var subject = request.GetCertificationRequestInfo().Subject;
        Assert.Equal([X509Name.O, X509Name.OU, X509Name.CN], subject.GetOidList());
        // '#' and ',' are data, not DN syntax.
        Assert.Equal(["TAK", "#Ops, West", "alice"], subject.GetValueList());
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.GetCertificationRequestInfo().SubjectPublicKeyInfo.GetDerEncoded());
    }

    [Fact]
    public void An_ECDSA_request_loads_in_NET_as_well()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var der = EnrolmentCsr.Build("bob", TakConfig, key);

        var loaded = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var consumed);
        Assert.Equal(der.Length, consumed);
        Assert.Equal(["O", "OU", "CN"], loaded.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false).Select(r => r.GetSingleElementType().FriendlyName));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void The_body_is_bare_base64_of_the_request()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = EnrolmentCsr.Build("carol", TakConfig, key);

        var body = EnrolmentCsr.ToRequestBody(der);

        Assert.DoesNotContain("-----", body);
        Assert.DoesNotContain("\n", body);
        Assert.Equal(der, Convert.FromBase64String(body));
    }

    [Fact]
    public void A_country_entry_is_a_printable_two_letter_code()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var der = EnrolmentCsr.Build("dave", new CertificateConfig([new("C", "NZ")]), key);
        Assert.Equal(["NZ", "dave"], new Pkcs10CertificationRequest(der).GetCertificationRequestInfo().Subject.GetValueList());

        Assert.Throws<EnrolmentException>(() => EnrolmentCsr.Build("dave", new CertificateConfig([new("C", "New Zealand")]), key));
    }

    [Fact]
    public void Refuses_a_user_name_that_cannot_be_a_CN()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<EnrolmentException>(() => EnrolmentCsr.Build("", TakConfig, key));
        Assert.Throws<EnrolmentException>(() => EnrolmentCsr.Build("a\u0000b", TakConfig, key));
    }

    [Fact]
    public void Tells_whether_a_certificate_certifies_a_key()
    {
        using var ca = TestCertificates.Ca("Test CA");
        using var client = TestCertificates.Client(ca, "alice");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.True(EnrolmentCsr.Certifies(client, client.GetECDsaPrivateKey()!));
        Assert.False(EnrolmentCsr.Certifies(client, other));
    }
}
