using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TakCan.Protocols.Bridge;

/// <summary>
/// Signatures made with the private key of a TAK client certificate and checked with its public key
/// (specs/bridge.md, "Signatures"): RSA PKCS#1 v1.5 with SHA-256, or ECDSA with SHA-256 in DER form
/// (what Java's and BouncyCastle's <c>SHA256withECDSA</c> produce). TAK Server's CA issues RSA certificates;
/// enrolment may make ECDSA P-256 keys.
/// </summary>
public static class CertificateSignature
{
    /// <summary>Largest RSA key that signs within <see cref="Mesh.Envelopes.MeshEnvelopeCodec.MaxSignatureLength"/>.</summary>
    public const int MaxRsaKeyBits = 4096;

    /// <exception cref="BridgeMessageException">The certificate has no private key, or a key type or size TAK Can does not sign with.</exception>
    public static byte[] Sign(X509Certificate2 certificate, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey) throw new BridgeMessageException($"certificate {certificate.Subject} has no private key to sign with");
        using (var rsa = certificate.GetRSAPrivateKey())
        {
            if (rsa is not null)
            {
                if (rsa.KeySize > MaxRsaKeyBits) throw new BridgeMessageException($"an RSA key of {rsa.KeySize} bits is longer than the {MaxRsaKeyBits} TAK Can signs with");
                return rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
        }

        using var ecdsa = certificate.GetECDsaPrivateKey()
            ?? throw new BridgeMessageException($"certificate {certificate.Subject} has neither an RSA nor an ECDSA key");
        return ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>True when <paramref name="signature"/> is <paramref name="certificate"/>'s signature over <paramref name="data"/>.</summary>
    public static bool Verify(X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            using (var rsa = certificate.GetRSAPublicKey())
            {
                if (rsa is not null) return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            using var ecdsa = certificate.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // A signature of the wrong length or a malformed DER sequence: not a signature by this key.
            return false;
        }
    }
}
