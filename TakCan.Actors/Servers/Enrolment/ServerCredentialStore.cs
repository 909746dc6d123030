using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TakCan.Actors.Platform;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>
/// Keeps TAK server credentials in the device's <see cref="IKeyStore"/> under <see cref="ServerCredentialNames"/>, in
/// one form whatever their source: the client identity re-exported as PKCS#12 (PBES2, AES-256, SHA-256) under a
/// fresh random password, which is stored beside it; the CA certificates as PEM. Private keys are written nowhere
/// else.
/// </summary>
public sealed class ServerCredentialStore
{
    private const int PasswordBytes = 32;

    private readonly IKeyStore _keyStore;

    public ServerCredentialStore(IKeyStore keyStore)
    {
        ArgumentNullException.ThrowIfNull(keyStore);
        _keyStore = keyStore;
    }

    /// <summary>Stores the client certificate with its private key and chain, replacing any earlier one.</summary>
    public async Task SaveIdentityAsync(ServerCredentialNames names, X509Certificate2 certificateWithKey, IEnumerable<X509Certificate2> chain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        ArgumentNullException.ThrowIfNull(chain);
        if (!certificateWithKey.HasPrivateKey)
            throw new ArgumentException("the client certificate has no private key", nameof(certificateWithKey));

        var password = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(PasswordBytes));
        var collection = new X509Certificate2Collection(certificateWithKey);
        collection.AddRange(chain.ToArray());
        var pkcs12 = collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            // Password first: a crash between the writes leaves an old .p12 that no longer opens rather than a new
            // .p12 with no password, and the next enrolment or import repairs both.
            await _keyStore.SaveAsync(names.ClientPassword, passwordBytes, cancellationToken);
            await _keyStore.SaveAsync(names.ClientCertificate, pkcs12, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>Stores the CA certificates that verify the server, replacing any earlier ones.</summary>
    public Task SaveTrustAsync(ServerCredentialNames names, IEnumerable<X509Certificate2> caCertificates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(caCertificates);
        var pem = new StringBuilder();
        foreach (var certificate in caCertificates) pem.Append(certificate.ExportCertificatePem()).Append('\n');
        if (pem.Length == 0) throw new ArgumentException("no CA certificate to store", nameof(caCertificates));
        return _keyStore.SaveAsync(names.CaCertificates, Encoding.ASCII.GetBytes(pem.ToString()), cancellationToken);
    }

    /// <summary>The stored client certificate with its private key, or null when there is none; the caller disposes it.</summary>
    /// <exception cref="EnrolmentException">The stored items are damaged or do not belong together.</exception>
    public async Task<X509Certificate2?> LoadIdentityAsync(ServerCredentialNames names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var pkcs12 = await _keyStore.LoadAsync(names.ClientCertificate, cancellationToken);
        if (pkcs12 is null) return null;
        var passwordBytes = await _keyStore.LoadAsync(names.ClientPassword, cancellationToken)
            ?? throw new EnrolmentException($"the key store holds {names.ClientCertificate} but not its password; enrol or import the server again");
        X509Certificate2Collection collection;
        try
        {
            // EphemeralKeySet keeps the key out of any OS key container; Windows' TLS stack needs a persisted one.
            var flags = OperatingSystem.IsWindows() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
            collection = X509CertificateLoader.LoadPkcs12Collection(pkcs12, Encoding.UTF8.GetString(passwordBytes), flags);
        }
        catch (CryptographicException e)
        {
            throw new EnrolmentException($"{names.ClientCertificate} in the key store does not open with its stored password; enrol or import the server again", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs12);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }

        X509Certificate2? identity = null;
        foreach (var certificate in collection)
        {
            if (identity is null && certificate.HasPrivateKey) identity = certificate;
            else certificate.Dispose();
        }

        return identity ?? throw new EnrolmentException($"{names.ClientCertificate} in the key store holds no private key; enrol or import the server again");
    }

    /// <summary>The stored CA certificates, or null when there are none; the caller disposes them.</summary>
    /// <exception cref="EnrolmentException">The stored PEM is damaged.</exception>
    public async Task<X509Certificate2Collection?> LoadTrustAsync(ServerCredentialNames names, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var pem = await _keyStore.LoadAsync(names.CaCertificates, cancellationToken);
        if (pem is null) return null;
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(Encoding.ASCII.GetString(pem));
        }
        catch (CryptographicException e)
        {
            throw new EnrolmentException($"{names.CaCertificates} in the key store is damaged; enrol or import the server again", e);
        }

        return collection.Count > 0
            ? collection
            : throw new EnrolmentException($"{names.CaCertificates} in the key store holds no certificate; enrol or import the server again");
    }
}
