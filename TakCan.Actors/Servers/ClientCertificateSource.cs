using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TakCan.Actors.Servers;

/// <summary>Where the client certificate and its private key come from: a PKCS#12 file or PEM files.</summary>
public abstract record ClientCertificateSource
{
    private ClientCertificateSource()
    {
    }

    /// <summary>Loads the certificate with its key, plus any chain certificates stored beside it.</summary>
    /// <exception cref="ServerLinkException">The files are missing, unreadable or hold no usable key.</exception>
    internal abstract (X509Certificate2 Certificate, X509Certificate2Collection Chain) Load();

    /// <summary>A .p12/.pfx as TAK Server's makeCert.sh, enrolment and data packages produce (leaf with key, optional chain).</summary>
    public sealed record Pkcs12File(string Path, string? Password) : ClientCertificateSource
    {
        internal override (X509Certificate2, X509Certificate2Collection) Load()
        {
            X509Certificate2Collection all;
            try
            {
                all = X509CertificateLoader.LoadPkcs12CollectionFromFile(Path, Password);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ServerLinkException($"client certificate {Path}: cannot read it as PKCS#12 (wrong password?): {e.Message}", e);
            }

            var leaf = all.FirstOrDefault(static c => c.HasPrivateKey);
            if (leaf is null)
            {
                Dispose(all);
                throw new ServerLinkException($"client certificate {Path}: the PKCS#12 file holds no private key");
            }

            var chain = new X509Certificate2Collection();
            foreach (var certificate in all)
                if (!ReferenceEquals(certificate, leaf))
                    chain.Add(certificate);
            return (leaf, chain);
        }

        // The password is a secret; settings are printed in logs.
        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append("Path = ").Append(Path).Append(", Password = ***");
            return true;
        }
    }

    /// <summary>A PEM certificate (optionally followed by its chain) and a PEM private key, optionally encrypted.</summary>
    public sealed record PemFiles(string CertificatePath, string KeyPath, string? KeyPassword = null) : ClientCertificateSource
    {
        internal override (X509Certificate2, X509Certificate2Collection) Load()
        {
            X509Certificate2 leaf;
            var chain = new X509Certificate2Collection();
            try
            {
                leaf = KeyPassword is null
                    ? X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(CertificatePath, KeyPassword, KeyPath);
                if (OperatingSystem.IsWindows())
                {
                    // SChannel cannot use the ephemeral key a PEM import gives; a PKCS#12 round trip persists it.
                    using var ephemeral = leaf;
                    leaf = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
                }

                chain.ImportFromPemFile(CertificatePath);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                Dispose(chain);
                throw new ServerLinkException($"client certificate {CertificatePath} with key {KeyPath}: {e.Message}", e);
            }

            foreach (var certificate in chain.ToArray())
            {
                if (certificate.Thumbprint != leaf.Thumbprint) continue;
                chain.Remove(certificate);
                certificate.Dispose();
            }

            return (leaf, chain);
        }

        protected override bool PrintMembers(StringBuilder builder)
        {
            builder.Append("CertificatePath = ").Append(CertificatePath).Append(", KeyPath = ").Append(KeyPath);
            if (KeyPassword is not null) builder.Append(", KeyPassword = ***");
            return true;
        }
    }

    internal static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates) certificate.Dispose();
    }
}
