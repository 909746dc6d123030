using System.Buffers.Binary;
using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Bridge;

namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>
/// The origin signature of an envelope (specs/bridge.md, "Envelope signature"): over what no relay changes,
/// <c>"takcan/v1/envelope" ‖ kind (1) ‖ origin (16) ‖ seq (4, big-endian) ‖ payload</c>, never ttl or hops.
/// </summary>
public static class EnvelopeSignature
{
    private static ReadOnlySpan<byte> Context => "takcan/v1/envelope"u8;

    /// <summary>The bytes an origin signs for <paramref name="envelope"/>.</summary>
    public static byte[] SignedBytes(MeshEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var bytes = new byte[Context.Length + 1 + NodeId.Size + 4 + envelope.Payload.Length];
        var span = bytes.AsSpan();
        Context.CopyTo(span);
        var at = Context.Length;
        span[at++] = (byte)envelope.Kind;
        envelope.Origin.Write(span.Slice(at, NodeId.Size));
        at += NodeId.Size;
        BinaryPrimitives.WriteUInt32BigEndian(span.Slice(at, 4), envelope.Sequence);
        at += 4;
        envelope.Payload.Span.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary><paramref name="envelope"/> with its origin's signature.</summary>
    public static MeshEnvelope Sign(MeshEnvelope envelope, X509Certificate2 certificate) =>
        envelope with { Signature = CertificateSignature.Sign(certificate, SignedBytes(envelope)) };

    /// <summary>True when <paramref name="envelope"/> carries a signature by <paramref name="certificate"/>'s key; false when unsigned.</summary>
    public static bool Verify(MeshEnvelope envelope, X509Certificate2 certificate) =>
        envelope.Signature is { } signature && CertificateSignature.Verify(certificate, SignedBytes(envelope), signature.Span);
}
