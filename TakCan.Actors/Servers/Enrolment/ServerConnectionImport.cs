using System.Security.Cryptography.X509Certificates;
using TakCan.Actors.Platform;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>
/// Imports a TAK server-connection data package: reads and checks it (<see cref="ServerConnectionPackage"/>), then
/// stores each connection's client certificate and truststore through the key store, in the same form enrolment
/// stores them (<see cref="ServerCredentialStore"/>). Nothing of the package is written anywhere else.
/// </summary>
public sealed class ServerConnectionImport
{
    private readonly ServerCredentialStore _store;

    public ServerConnectionImport(IKeyStore keyStore)
    {
        _store = new ServerCredentialStore(keyStore);
    }

    /// <param name="serverName">
    /// Name for the first connection's credentials; later ones get <c>-2</c>, <c>-3</c>… By default each is named
    /// after its host.
    /// </param>
    /// <exception cref="EnrolmentException">The package is hostile, damaged or unusable; nothing is stored then.</exception>
    public Task<IReadOnlyList<ImportedServer>> ImportAsync(Stream package, string? serverName = null, DataPackageLimits? limits = null, CancellationToken cancellationToken = default) =>
        ImportAsync(ServerConnectionPackage.Read(package, limits), serverName, cancellationToken);

    /// <inheritdoc cref="ImportAsync(Stream, string?, DataPackageLimits?, CancellationToken)"/>
    public async Task<IReadOnlyList<ImportedServer>> ImportAsync(ServerConnectionPackage package, string? serverName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        var names = NamesFor(package, serverName);
        var imported = new List<ImportedServer>(package.Connections.Count);
        for (var i = 0; i < package.Connections.Count; i++)
            imported.Add(await ImportAsync(package.Connections[i], names[i], cancellationToken));
        return imported;
    }

    private async Task<ImportedServer> ImportAsync(PackagedServerConnection connection, ServerCredentialNames names, CancellationToken cancellationToken)
    {
        var caCount = 0;
        X509Certificate2Collection? trust = null;
        X509Certificate2Collection? client = null;
        try
        {
            if (connection.Truststore is not null)
            {
                trust = connection.Truststore.Open();
                caCount = trust.Count;
                await _store.SaveTrustAsync(names, trust, cancellationToken);
            }

            string? subject = null;
            if (connection.ClientCertificate is not null)
            {
                client = connection.ClientCertificate.Open();
                var identity = client.Single(certificate => certificate.HasPrivateKey);
                var chain = client.Where(certificate => !ReferenceEquals(certificate, identity));
                await _store.SaveIdentityAsync(names, identity, chain, cancellationToken);
                subject = identity.Subject;
            }

            return new ImportedServer(
                names.ServerName, connection.Server, connection.Description, connection.Enabled, connection.UseAuth,
                connection.EnrollForCertificate, names, subject, caCount);
        }
        finally
        {
            foreach (var certificate in (trust ?? []).Concat(client ?? [])) certificate.Dispose();
        }
    }

    private static ServerCredentialNames[] NamesFor(ServerConnectionPackage package, string? serverName)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new ServerCredentialNames[package.Connections.Count];
        for (var i = 0; i < names.Length; i++)
        {
            var name = serverName is null
                ? ServerCredentialNames.NameFor(package.Connections[i].Server.Host)
                : i == 0 ? serverName : $"{serverName}-{i + 1}";
            var unique = name;
            for (var n = 2; !taken.Add(unique); n++) unique = $"{name}-{n}";
            names[i] = ServerCredentialNames.For(unique);
        }

        return names;
    }
}
