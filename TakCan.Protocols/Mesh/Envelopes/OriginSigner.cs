using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Bridge;

namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>
/// Signs the envelopes a device originates with the private key of its TAK client certificate, so a bridge that
/// onboarded the device can tell its messages from anyone else's (specs/bridge.md, "Envelope signature").
/// </summary>
public sealed class OriginSigner
{
    /// <exception cref="BridgeMessageException">The certificate cannot sign (no private key, unsupported key).</exception>
    public OriginSigner(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // Signing once here refuses a key that cannot sign before the mesh relies on it for every message.
        CertificateSignature.Sign(certificate, "takcan/v1/check"u8);
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public MeshEnvelope Sign(MeshEnvelope envelope) => EnvelopeSignature.Sign(envelope, Certificate);

    public override string ToString() => $"OriginSigner({Certificate.Subject}, {Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)})";
}
