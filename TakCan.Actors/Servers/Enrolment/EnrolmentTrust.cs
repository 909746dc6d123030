using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>
/// How the enrolment server's TLS certificate is checked. There is no accept-anything choice: a server is trusted
/// because it chains to a CA the caller gives, to the system's public CAs, or because the caller explicitly accepts
/// the certificate it presents on first use (as ATAK does when told to trust an enrolment server it has no
/// truststore for) and then keeps its fingerprint. Whatever the choice, every connection of one enrolment must
/// present the same certificate.
/// </summary>
public abstract record EnrolmentTrust
{
    private protected EnrolmentTrust()
    {
    }

    /// <summary>Trusts a server whose certificate chains to one of <paramref name="authorities"/> and names the host.</summary>
    public static EnrolmentTrust Authority(X509Certificate2Collection authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        if (authorities.Count == 0) throw new ArgumentException("give at least one CA certificate", nameof(authorities));
        return new AuthorityTrust(new X509Certificate2Collection(authorities));
    }

    /// <summary>Trusts a server with a certificate from the system's public CAs (Let's Encrypt and the like).</summary>
    public static EnrolmentTrust SystemAuthorities { get; } = new SystemTrust();

    /// <summary>
    /// Trusts exactly the certificate whose SHA-256 fingerprint is <paramref name="sha256Fingerprint"/> (hex, with or
    /// without ':' separators, any case): a pin from an earlier first-use enrolment or read off the server.
    /// </summary>
    /// <exception cref="EnrolmentException">Not 32 bytes of hex.</exception>
    public static EnrolmentTrust Pinned(string sha256Fingerprint)
    {
        ArgumentNullException.ThrowIfNull(sha256Fingerprint);
        var hex = sha256Fingerprint.Replace(":", "", StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            throw new EnrolmentException("a certificate pin is a SHA-256 fingerprint: 64 hex digits, ':' separators allowed");
        return new PinnedTrust(hex.ToUpperInvariant());
    }

    /// <summary>
    /// Accepts whatever certificate the server presents first and pins it for the rest of the enrolment. Only for a
    /// caller that asked for it (a command-line flag, a confirmed prompt): the result carries the fingerprint so the
    /// user can compare it with the server's.
    /// </summary>
    public static EnrolmentTrust FirstUse { get; } = new FirstUseTrust();

    /// <summary>The SHA-256 fingerprint of a certificate as this type writes it: 64 upper-case hex digits.</summary>
    public static string Fingerprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary>Null when <paramref name="presented"/> is trusted, else why not.</summary>
    internal abstract string? Refusal(X509Certificate2 presented, X509Chain? chain, SslPolicyErrors errors);

    private sealed record AuthorityTrust(X509Certificate2Collection Authorities) : EnrolmentTrust
    {
        internal override string? Refusal(X509Certificate2 presented, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
                return "its certificate does not name the host TAK Can connected to";
            using var own = new X509Chain();
            own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            own.ChainPolicy.CustomTrustStore.AddRange(Authorities);
            own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a TAK Server CA publishes no revocation list the device could reach
            own.ChainPolicy.DisableCertificateDownloads = true;
            if (chain is not null)
                foreach (var element in chain.ChainElements.Skip(1))
                    own.ChainPolicy.ExtraStore.Add(element.Certificate);
            if (own.Build(presented)) return null;
            var status = string.Join(", ", own.ChainStatus.Select(s => s.Status).Distinct());
            return $"its certificate does not chain to the CA certificate given ({status})";
        }
    }

    private sealed record SystemTrust : EnrolmentTrust
    {
        internal override string? Refusal(X509Certificate2 presented, X509Chain? chain, SslPolicyErrors errors) =>
            errors == SslPolicyErrors.None ? null : $"its certificate is not from a public CA this system trusts ({errors})";
    }

    private sealed record PinnedTrust(string Sha256) : EnrolmentTrust
    {
        internal override string? Refusal(X509Certificate2 presented, X509Chain? chain, SslPolicyErrors errors) =>
            Fingerprint(presented) == Sha256 ? null : $"its certificate is not the pinned one ({Sha256})";
    }

    private sealed record FirstUseTrust : EnrolmentTrust
    {
        // The pin for the rest of the enrolment is held by the enrolment itself, which requires every connection
        // to present the first certificate whatever the trust.
        internal override string? Refusal(X509Certificate2 presented, X509Chain? chain, SslPolicyErrors errors) => null;
    }
}
