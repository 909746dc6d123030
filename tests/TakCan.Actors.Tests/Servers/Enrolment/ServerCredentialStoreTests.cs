using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Tests.Servers.Enrolment;

public sealed class ServerCredentialStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "takcan-credentials-" + Guid.NewGuid().ToString("N"));
    private readonly FileKeyStore _keyStore;

    public ServerCredentialStoreTests()
    {
        _keyStore = new FileKeyStore(_directory);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("tak.example.org", "tak.example.org")]
    [InlineData("TAK.Example.ORG", "tak.example.org")]
    [InlineData("fd00::1", "fd00--1")]
    [InlineData("..hidden", "hidden")]
    public void Makes_a_server_name_from_a_host(string host, string name)
    {
        Assert.Equal(name, ServerCredentialNames.NameFor(host));
        Assert.Equal($"takserver-{name}.p12", ServerCredentialNames.For(ServerCredentialNames.NameFor(host)).ClientCertificate);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".ops")]
    [InlineData("a..b")]
    [InlineData("a/b")]
    [InlineData("a b")]
    public void Refuses_a_server_name_that_could_not_be_a_key_store_name(string name)
    {
        Assert.Throws<EnrolmentException>(() => ServerCredentialNames.For(name));
    }

    [Fact]
    public async Task Nothing_stored_loads_as_null_and_damaged_items_are_clear_errors()
    {
        var store = new ServerCredentialStore(_keyStore);
        var names = ServerCredentialNames.For("ops");

        Assert.Null(await store.LoadIdentityAsync(names));
        Assert.Null(await store.LoadTrustAsync(names));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var self = new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await store.SaveIdentityAsync(names, self, []);
        await _keyStore.DeleteAsync(names.ClientPassword);
        Assert.Contains("not its password", (await Assert.ThrowsAsync<EnrolmentException>(() => store.LoadIdentityAsync(names))).Message);

        await _keyStore.SaveAsync(names.ClientPassword, "not-the-password"u8.ToArray());
        Assert.Contains("does not open", (await Assert.ThrowsAsync<EnrolmentException>(() => store.LoadIdentityAsync(names))).Message);

        await _keyStore.SaveAsync(names.CaCertificates, "garbage"u8.ToArray());
        Assert.Contains("holds no certificate", (await Assert.ThrowsAsync<EnrolmentException>(() => store.LoadTrustAsync(names))).Message);
    }

    [Fact]
    public async Task Every_save_uses_a_fresh_password()
    {
        var store = new ServerCredentialStore(_keyStore);
        var names = ServerCredentialNames.For("ops");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var self = new CertificateRequest("CN=alice", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        await store.SaveIdentityAsync(names, self, []);
        var first = await _keyStore.LoadAsync(names.ClientPassword);
        await store.SaveIdentityAsync(names, self, []);
        var second = await _keyStore.LoadAsync(names.ClientPassword);

        Assert.NotEqual(first, second);
        Assert.Equal(43, second!.Length);
        using var loaded = await store.LoadIdentityAsync(names);
        Assert.Equal(self.Thumbprint, loaded?.Thumbprint);
    }
}
