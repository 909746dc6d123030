using TakCan.Actors.Bridge;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Actors.Tests.Servers;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Tests.Bridge;

/// <summary>Which enrolled certificate a node onboards with (specs/bridge.md, "Onboarding, the peer's side").</summary>
public sealed class EnrolledIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("takcan-enrolled-").FullName;

    [Fact]
    public async Task The_only_enrolled_server_is_used_and_several_need_a_name()
    {
        var keys = new FileKeyStore(Path.Combine(_directory, "credentials"));
        Assert.Null(await EnrolledIdentity.LoadAsync(keys, null, CancellationToken.None));

        var alice = PeerCertificates.Rsa("alice");
        await Store(keys, "ops", alice);
        var only = await EnrolledIdentity.LoadAsync(keys, null, CancellationToken.None);
        Assert.Equal(alice.Thumbprint, only!.Certificate.Thumbprint);
        Assert.True(only.Certificate.HasPrivateKey);
        Assert.Empty(only.Chain); // the stored CA is the self-signed root: the bridge has it

        await Store(keys, "training", PeerCertificates.Ecdsa("alice"));
        var error = await Assert.ThrowsAsync<EnrolmentException>(() => EnrolledIdentity.LoadAsync(keys, null, CancellationToken.None));
        Assert.Contains("ops, training", error.Message, StringComparison.Ordinal);
        Assert.Equal(alice.Thumbprint, (await EnrolledIdentity.LoadAsync(keys, "ops", CancellationToken.None))!.Certificate.Thumbprint);
        Assert.Null(await EnrolledIdentity.LoadAsync(keys, "elsewhere", CancellationToken.None));
    }

    private static async Task Store(FileKeyStore keys, string server, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var store = new ServerCredentialStore(keys);
        var names = ServerCredentialNames.For(server);
        await store.SaveIdentityAsync(names, certificate, [TestPki.Shared.Ca]);
        await store.SaveTrustAsync(names, [TestPki.Shared.Ca]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
