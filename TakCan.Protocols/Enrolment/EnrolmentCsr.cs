using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// The PKCS#10 certificate request a device sends to <c>/Marti/api/tls/signClient/v2</c>, built with BouncyCastle
/// from a key generated on the device. Only the request (subject, public key, signature) leaves the device.
/// Subject: the server's name entries in the order it listed them, then <c>CN=</c> the user name, one attribute per
/// RDN, because TAK Server accepts only exactly CN plus its entries (specs/enrolment.md, "Certificate request").
/// </summary>
public static class EnrolmentCsr
{
    /// <summary>The DER request for <paramref name="key"/> (RSA or ECDSA, signed with SHA-256).</summary>
    /// <exception cref="EnrolmentException">The user name or a name entry cannot go into a certificate.</exception>
    public static byte[] Build(string username, CertificateConfig config, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(key);
        if (username.Length == 0 || username.Length > EnrolmentTarget.MaxUsernameLength || EnrolmentText.HasControl(username))
            throw new EnrolmentException("the user name cannot be a certificate's CN: it is empty, too long or has control characters");

        var signatureAlgorithm = key switch
        {
            RSA => "SHA256WITHRSA",
            ECDsa => "SHA256WITHECDSA",
            _ => throw new ArgumentException($"{key.GetType().Name} is neither RSA nor ECDSA", nameof(key)),
        };

        var rdns = new List<Asn1Encodable>();
        foreach (var entry in config.NameEntries)
            rdns.Add(Rdn(CertificateConfig.AttributeType(entry.Name), entry.Value));
        rdns.Add(Rdn(X509Name.CN, username));
        // Built from ASN.1 rather than a DN string: no escaping rules, and no '#' hex-value interpretation of values.
        var subject = X509Name.GetInstance(new DerSequence(rdns.ToArray()));

        AsymmetricKeyParameter privateKey;
        var pkcs8 = key switch
        {
            RSA rsa => rsa.ExportPkcs8PrivateKey(),
            ECDsa ec => ec.ExportPkcs8PrivateKey(),
            _ => throw new ArgumentException("unreachable", nameof(key)),
        };
        try
        {
            privateKey = PrivateKeyFactory.CreateKey(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        var publicKey = PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo());
        var request = new Pkcs10CertificationRequest(
            new Asn1SignatureFactory(signatureAlgorithm, privateKey), subject, publicKey, new DerSet());
        return request.GetDerEncoded();
    }

    /// <summary>
    /// The request as the body of <c>signClient/v2</c>: bare base64 of the DER, no PEM lines, no line breaks (TAK
    /// Server strips PEM lines and decodes base64; ATAK and the other TAK clients send it this way).
    /// </summary>
    public static string ToRequestBody(ReadOnlySpan<byte> der) => Convert.ToBase64String(der);

    /// <summary>True when <paramref name="certificate"/> certifies <paramref name="key"/>'s public key.</summary>
    public static bool Certifies(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(
            certificate.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    private static DerSet Rdn(DerObjectIdentifier type, string value)
    {
        Asn1Encodable encoded;
        if (type.Equals(X509Name.C))
        {
            // RFC 5280: countryName is a two-letter PrintableString.
            if (value.Length != 2 || !value.All(char.IsAsciiLetter))
                throw new EnrolmentException($"the country name entry '{EnrolmentText.Shorten(value)}' is not a two-letter country code");
            encoded = new DerPrintableString(value);
        }
        else
        {
            encoded = new DerUtf8String(value);
        }

        return new DerSet(new DerSequence(type, encoded));
    }
}
