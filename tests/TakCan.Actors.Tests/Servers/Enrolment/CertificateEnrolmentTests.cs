using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Tests.Servers.Enrolment;

public sealed class CertificateEnrolmentTests : IClassFixture<EnrolmentPki>, IDisposable
{
    private const string ClientUid = "ANDROID-0123456789abcdef";

    private readonly EnrolmentPki _pki;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "takcan-enrolment-" + Guid.NewGuid().ToString("N"));
    private readonly FileKeyStore _keyStore;

    public CertificateEnrolmentTests(EnrolmentPki pki)
    {
        _pki = pki;
        _keyStore = new FileKeyStore(_directory);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    // RSA key generation takes up to a second on a small machine; tests not about the key use ECDSA.
    private static readonly CertificateEnrolment Fast = new(new EnrolmentOptions { KeyAlgorithm = EnrolmentKeyAlgorithm.EcdsaP256 });

    private EnrolmentTrust TrustRoot => EnrolmentTrust.Authority([EnrolmentPki.Public(_pki.Root)]);

    private static EnrolmentTarget Target(FakeMartiServer server, string token = "s3cret") =>
        EnrolmentTarget.Parse($"tak://com.atakmap.app/enroll?host=127.0.0.1:8089:ssl&username=alice&token={token}") with { EnrolmentPort = server.Port };

    [Fact]
    public async Task Enrols_end_to_end_and_stores_a_certificate_for_the_local_key_that_chains_to_the_CA()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);

        var result = await new CertificateEnrolment().EnrollAsync(Target(server), null, ClientUid, _keyStore, TrustRoot, "ops");

        Assert.Equal("ops", result.Stored.ServerName);
        Assert.Equal(new TakConnectString("127.0.0.1", 8089, TakStreamProtocol.Ssl), result.Server);
        Assert.Equal("CN=alice, OU=Ops, O=TAK Can Tests", result.Subject);
        Assert.Equal(_pki.Intermediate.Subject, result.Issuer);
        Assert.Equal(2, result.CaCertificates);
        Assert.Equal(EnrolmentTrust.Fingerprint(_pki.Server), result.ServerCertificateSha256);
        Assert.Equal(
            ["takserver-ops.ca.pem", "takserver-ops.p12", "takserver-ops.p12.password"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order());

        // The stored identity: the issued certificate with the key generated here, chaining to the CA.
        var credentials = new ServerCredentialStore(_keyStore);
        using var identity = await credentials.LoadIdentityAsync(result.Stored);
        Assert.NotNull(identity);
        Assert.True(identity.HasPrivateKey);
        Assert.Equal(result.CertificateSha256, EnrolmentTrust.Fingerprint(identity));
        using var privateKey = identity.GetRSAPrivateKey()!;
        var data = Encoding.UTF8.GetBytes("t-x-c-t");
        using var certificateOnly = EnrolmentPki.Public(identity);
        using var publicKey = certificateOnly.GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(data, privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var trust = await credentials.LoadTrustAsync(result.Stored);
        Assert.NotNull(trust);
        Assert.Equal([_pki.Intermediate.Thumbprint, _pki.Root.Thumbprint], trust.Select(c => c.Thumbprint));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(EnrolmentPki.Public(_pki.Root));
        chain.ChainPolicy.ExtraStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(certificateOnly), string.Join(", ", chain.ChainStatus.Select(s => s.Status)));

        // On the wire: GET tls/config, then POST signClient/v2 carrying the certificate request and nothing else.
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret"));
        Assert.Equal(("GET", "/Marti/api/tls/config", basic, ""), (requests[0].Method, requests[0].PathAndQuery, requests[0].Authorization, requests[0].Body));
        Assert.Equal("application/xml", requests[0].Accept);
        var sign = requests[1];
        Assert.Equal("POST", sign.Method);
        Assert.StartsWith($"/Marti/api/tls/signClient/v2?clientUid={ClientUid}&version=TAK%20Can%20", sign.PathAndQuery);
        Assert.Equal(basic, sign.Authorization);
        Assert.Equal("application/json", sign.Accept);
        Assert.StartsWith("text/plain", sign.ContentType);

        Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", sign.Body);
        var der = Convert.FromBase64String(sign.Body);
        var csr = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var consumed);
        Assert.Equal(der.Length, consumed);
        Assert.Equal(publicKey.ExportSubjectPublicKeyInfo(), csr.PublicKey.ExportSubjectPublicKeyInfo());
        var secret = privateKey.ExportParameters(includePrivateParameters: true);
        foreach (var part in new[] { secret.D!, secret.P!, secret.Q!, secret.DP!, secret.DQ!, secret.InverseQ! })
        foreach (var request in requests)
        {
            Assert.Equal(-1, Convert.FromBase64String(request.Body).AsSpan().IndexOf(part));
            Assert.DoesNotContain(Convert.ToBase64String(part), request.Body + request.PathAndQuery);
        }
    }

    [Fact]
    public async Task Enrols_with_an_ECDSA_key_when_asked()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);
        var enrolment = new CertificateEnrolment(new EnrolmentOptions { KeyAlgorithm = EnrolmentKeyAlgorithm.EcdsaP256, ClientVersion = "5.4.0.1" });

        var result = await enrolment.EnrollAsync(Target(server), null, ClientUid, _keyStore, TrustRoot);

        Assert.Equal("127.0.0.1", result.Stored.ServerName);
        Assert.EndsWith("&version=5.4.0.1", server.Requests.Last().PathAndQuery);
        using var identity = await new ServerCredentialStore(_keyStore).LoadIdentityAsync(result.Stored);
        Assert.NotNull(identity?.GetECDsaPrivateKey());
    }

    [Fact]
    public async Task A_wrong_password_is_refused_clearly_and_nothing_is_stored()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            Fast.EnrollAsync(Target(server, token: "Xyzzy-42"), null, ClientUid, _keyStore, TrustRoot));

        Assert.Contains($"127.0.0.1:{server.Port} refused user 'alice' (HTTP 401)", e.Message);
        Assert.Contains("ask for a new enrolment code", e.Message);
        Assert.DoesNotContain("Xyzzy-42", e.Message);
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_password_argument_wins_over_the_token_in_the_code()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);

        var result = await Fast.EnrollAsync(Target(server, token: "stale"), "s3cret", ClientUid, _keyStore, TrustRoot);

        Assert.Equal("CN=alice, OU=Ops, O=TAK Can Tests", result.Subject);
    }

    [Fact]
    public async Task A_server_certificate_from_an_unknown_CA_is_refused_before_any_credential_is_sent()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            new CertificateEnrolment().EnrollAsync(Target(server), null, ClientUid, _keyStore, EnrolmentTrust.Authority([EnrolmentPki.Public(_pki.OtherRoot)])));

        Assert.Contains($"TAK Can does not trust 127.0.0.1:{server.Port}", e.Message);
        Assert.Contains("does not chain to the CA certificate given", e.Message);
        Assert.Contains(EnrolmentTrust.Fingerprint(_pki.Server), e.Message);
        Assert.Empty(server.Requests);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task A_server_certificate_for_another_host_is_refused_even_from_the_right_CA()
    {
        using var elsewhere = EnrolmentPki.CreateServer(_pki.Intermediate, "tak.example.org", address: null);
        await using var server = await FakeMartiServer.StartAsync(_pki, elsewhere);

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            new CertificateEnrolment().EnrollAsync(Target(server), null, ClientUid, _keyStore, TrustRoot));

        Assert.Contains("does not name the host", e.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task The_system_store_does_not_trust_a_private_TAK_CA()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            new CertificateEnrolment().EnrollAsync(Target(server), null, ClientUid, _keyStore, EnrolmentTrust.SystemAuthorities));

        Assert.Contains("not from a public CA", e.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task First_use_trust_reports_the_pin_and_a_pin_is_then_enforced()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);
        var enrolment = Fast;

        var first = await enrolment.EnrollAsync(Target(server), null, ClientUid, _keyStore, EnrolmentTrust.FirstUse);
        Assert.Equal(EnrolmentTrust.Fingerprint(_pki.Server), first.ServerCertificateSha256);

        var colons = string.Join(':', first.ServerCertificateSha256.Chunk(2).Select(pair => new string(pair))).ToLowerInvariant();
        var again = await enrolment.EnrollAsync(Target(server), null, ClientUid, _keyStore, EnrolmentTrust.Pinned(colons));
        Assert.Equal(first.ServerCertificateSha256, again.ServerCertificateSha256);

        var requestsBefore = server.Requests.Count;
        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            enrolment.EnrollAsync(Target(server), null, ClientUid, _keyStore, EnrolmentTrust.Pinned(new string('A', 64))));
        Assert.Contains("not the pinned one", e.Message);
        Assert.Equal(requestsBefore, server.Requests.Count);
        Assert.Throws<EnrolmentException>(() => EnrolmentTrust.Pinned("abc"));
    }

    [Fact]
    public async Task A_server_refusing_the_request_is_a_clear_error_and_nothing_is_stored()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);
        server.RequiredEntries = [("O", "TAK Can Tests"), ("OU", "Somewhere else")];

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            Fast.EnrollAsync(Target(server), null, ClientUid, _keyStore, TrustRoot));

        Assert.Contains("did not give a signed certificate (HTTP 500)", e.Message);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Missing_credentials_fail_before_any_connection()
    {
        await using var server = await FakeMartiServer.StartAsync(_pki);
        var itak = EnrolmentTarget.Parse("Ops,127.0.0.1,8089,ssl") with { EnrolmentPort = server.Port };
        var enrolment = new CertificateEnrolment();

        Assert.Contains("no user name", (await Assert.ThrowsAsync<EnrolmentException>(() =>
            enrolment.EnrollAsync(itak, "s3cret", ClientUid, _keyStore, TrustRoot))).Message);
        Assert.Contains("no password or token", (await Assert.ThrowsAsync<EnrolmentException>(() =>
            enrolment.EnrollAsync(itak with { Username = "alice" }, null, ClientUid, _keyStore, TrustRoot))).Message);
        Assert.Contains("device uid", (await Assert.ThrowsAsync<EnrolmentException>(() =>
            enrolment.EnrollAsync(Target(server), null, "", _keyStore, TrustRoot))).Message);
        Assert.Contains("not a server name", (await Assert.ThrowsAsync<EnrolmentException>(() =>
            enrolment.EnrollAsync(Target(server), null, ClientUid, _keyStore, TrustRoot, serverName: "../x"))).Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_clear_error()
    {
        int port;
        await using (var gone = await FakeMartiServer.StartAsync(_pki)) port = gone.Port;

        var e = await Assert.ThrowsAsync<EnrolmentException>(() =>
            new CertificateEnrolment().EnrollAsync(EnrolmentTarget.Create("127.0.0.1", "alice", "s3cret", port), null, ClientUid, _keyStore, TrustRoot));

        Assert.Contains($"could not reach the enrolment service at 127.0.0.1:{port}", e.Message);
    }
}
