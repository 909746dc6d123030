using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MessagePack;
using TakCan.Protocols.Mesh;

namespace TakCan.Protocols.Bridge;

/// <summary>
/// A mesh peer's proof that the TAK Server's CA vouches for it (specs/bridge.md, "Onboard message"):
/// <c>["onboard", 1, node (bin 16), uid (str), time (int, ms since 1970 UTC), chain ([bin…], leaf first), signature (bin)]</c>,
/// the signature by the leaf's key over <c>"takcan/v1/onboard" ‖ node ‖ UTF-8 uid ‖ time (8, big-endian)</c>.
/// </summary>
public sealed record OnboardRequest(NodeId Node, string Uid, long TimeMilliseconds, IReadOnlyList<byte[]> Chain, byte[] Signature) : BridgeControlMessage
{
    public const string Type = "onboard";
    public const int MaxUidLength = 256;
    public const int MaxChainLength = 4;
    public const int MaxCertificateBytes = 8 * 1024;
    private const int Fields = 5;

    private static ReadOnlySpan<byte> Context => "takcan/v1/onboard"u8;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMilliseconds);

    /// <summary>An onboard request for <paramref name="node"/> as <paramref name="uid"/>, signed now with <paramref name="certificate"/>'s key.</summary>
    /// <param name="chain">CA certificates to send after the leaf (intermediates; the bridge has the root), at most 3.</param>
    /// <exception cref="BridgeMessageException">The certificate cannot sign, or the uid or chain break the limits.</exception>
    public static OnboardRequest Create(NodeId node, string uid, DateTimeOffset time, X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null)
    {
        CheckUid(uid);
        var certificates = new List<byte[]> { certificate.RawData };
        certificates.AddRange((chain ?? []).Select(static c => c.RawData));
        CheckChain(certificates);
        var milliseconds = time.ToUnixTimeMilliseconds();
        return new OnboardRequest(node, uid, milliseconds, certificates, CertificateSignature.Sign(certificate, SignedBytes(node, uid, milliseconds)));
    }

    /// <summary>What the peer signs: <c>"takcan/v1/onboard" ‖ node (16) ‖ UTF-8 uid ‖ time (8, big-endian ms)</c>.</summary>
    public static byte[] SignedBytes(NodeId node, string uid, long timeMilliseconds)
    {
        var uidBytes = Encoding.UTF8.GetBytes(uid);
        var bytes = new byte[Context.Length + NodeId.Size + uidBytes.Length + 8];
        Context.CopyTo(bytes);
        node.Write(bytes.AsSpan(Context.Length, NodeId.Size));
        uidBytes.CopyTo(bytes, Context.Length + NodeId.Size);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(bytes.Length - 8), timeMilliseconds);
        return bytes;
    }

    public byte[] SignedBytes() => SignedBytes(Node, Uid, TimeMilliseconds);

    /// <summary>The leaf certificate (the peer's own).</summary>
    /// <exception cref="BridgeMessageException">It is not an X.509 certificate.</exception>
    public X509Certificate2 LoadLeaf() => Load(Chain[0], "leaf");

    /// <summary>The certificates after the leaf.</summary>
    /// <exception cref="BridgeMessageException">One is not an X.509 certificate.</exception>
    public IReadOnlyList<X509Certificate2> LoadIntermediates() => Chain.Skip(1).Select((der, i) => Load(der, $"chain certificate {i + 2}")).ToArray();

    public override byte[] ToBytes() => Pack(Type, Fields, (ref MessagePackWriter w) =>
    {
        w.Write(Node.ToBytes());
        w.Write(Uid);
        w.Write(TimeMilliseconds);
        w.WriteArrayHeader(Chain.Count);
        foreach (var certificate in Chain) w.Write(certificate);
        w.Write(Signature);
    });

    internal static OnboardRequest ReadFields(ref MessagePackReader reader, int count)
    {
        if (count < Fields) throw new BridgeMessageException($"onboard has {count + 2} fields, expected {Fields + 2}");
        var nodeBytes = reader.ReadBytes() ?? throw new BridgeMessageException("onboard node is nil");
        if (nodeBytes.Length != NodeId.Size) throw new BridgeMessageException($"onboard node is {nodeBytes.Length} bytes, not {NodeId.Size}");
        var node = NodeId.Read(nodeBytes.ToArray());
        var uid = reader.ReadString() ?? throw new BridgeMessageException("onboard uid is nil");
        CheckUid(uid);
        var time = reader.ReadInt64();
        var chainCount = reader.ReadArrayHeader();
        if (chainCount is 0 or > MaxChainLength) throw new BridgeMessageException($"onboard chain has {chainCount} certificates, expected 1–{MaxChainLength}");
        var chain = new List<byte[]>(chainCount);
        for (var i = 0; i < chainCount; i++) chain.Add((reader.ReadBytes() ?? throw new BridgeMessageException("onboard certificate is nil")).ToArray());
        CheckChain(chain);
        var signature = (reader.ReadBytes() ?? throw new BridgeMessageException("onboard signature is nil")).ToArray();
        if (signature.Length is 0 or > Mesh.Envelopes.MeshEnvelopeCodec.MaxSignatureLength)
            throw new BridgeMessageException($"onboard signature is {signature.Length} bytes, expected 1–{Mesh.Envelopes.MeshEnvelopeCodec.MaxSignatureLength}");
        SkipRest(ref reader, count - Fields);
        return new OnboardRequest(node, uid, time, chain, signature);
    }

    private static void CheckUid(string uid)
    {
        if (uid.Length is 0 or > MaxUidLength) throw new BridgeMessageException($"onboard uid must be 1–{MaxUidLength} characters, not {uid.Length}");
        if (uid.Any(char.IsControl)) throw new BridgeMessageException("onboard uid has control characters");
    }

    private static void CheckChain(IReadOnlyList<byte[]> chain)
    {
        if (chain.Count is 0 or > MaxChainLength) throw new BridgeMessageException($"onboard chain has {chain.Count} certificates, expected 1–{MaxChainLength}");
        foreach (var certificate in chain)
            if (certificate.Length is 0 or > MaxCertificateBytes)
                throw new BridgeMessageException($"onboard certificate of {certificate.Length} bytes, expected 1–{MaxCertificateBytes}");
    }

    private static X509Certificate2 Load(byte[] der, string what)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or FormatException)
        {
            throw new BridgeMessageException($"onboard {what} is not an X.509 certificate: {e.Message}", e);
        }
    }

    public bool Equals(OnboardRequest? other) =>
        other is not null && Node == other.Node && Uid == other.Uid && TimeMilliseconds == other.TimeMilliseconds &&
        Chain.Count == other.Chain.Count && Chain.Zip(other.Chain).All(static p => p.First.AsSpan().SequenceEqual(p.Second)) &&
        Signature.AsSpan().SequenceEqual(other.Signature);

    public override int GetHashCode() => HashCode.Combine(Node, Uid, TimeMilliseconds);
}
