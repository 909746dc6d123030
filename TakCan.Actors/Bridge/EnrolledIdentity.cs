using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Bridge;

/// <summary>
/// The certificate a device onboards with (specs/bridge.md, "Onboarding, the peer's side"): the client certificate
/// enrolled or imported for a TAK Server, from the key store (<c>takserver-NAME.p12</c>), with that server's CA
/// certificates as the chain.
/// </summary>
public static class EnrolledIdentity
{
    private const string Prefix = "takserver-";
    private const string Suffix = ".p12";

    /// <param name="serverName">The server whose certificate to use; null: the only one the key store holds (none or several: no onboarding).</param>
    public static Func<CancellationToken, Task<OnboardingIdentity?>> From(FileKeyStore keyStore, string? serverName) =>
        cancellation => LoadAsync(keyStore, serverName, cancellation);

    /// <exception cref="EnrolmentException">The stored certificate is damaged, or several servers and none named.</exception>
    public static async Task<OnboardingIdentity?> LoadAsync(FileKeyStore keyStore, string? serverName, CancellationToken cancellation)
    {
        var name = serverName ?? OnlyEnrolledServer(keyStore);
        if (name is null) return null;
        var names = ServerCredentialNames.For(name);
        var store = new ServerCredentialStore(keyStore);
        var certificate = await store.LoadIdentityAsync(names, cancellation);
        if (certificate is null) return null;
        var trust = await store.LoadTrustAsync(names, cancellation);
        // The bridge holds the root: only intermediates are worth their bytes on the air.
        var chain = trust?.Where(static c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) is false).ToArray() ?? [];
        return new OnboardingIdentity(certificate, chain);
    }

    private static string? OnlyEnrolledServer(FileKeyStore keyStore)
    {
        if (!Directory.Exists(keyStore.Directory)) return null;
        var servers = Directory.EnumerateFiles(keyStore.Directory, Prefix + "*" + Suffix)
            .Select(static path => Path.GetFileName(path)[Prefix.Length..^Suffix.Length])
            .ToList();
        return servers.Count switch
        {
            0 => null,
            1 => servers[0],
            _ => throw new EnrolmentException(
                $"the key store holds certificates for {servers.Count} servers ({string.Join(", ", servers.Order())}); name the one to onboard with as bridge.onboard in the node config"),
        };
    }
}
