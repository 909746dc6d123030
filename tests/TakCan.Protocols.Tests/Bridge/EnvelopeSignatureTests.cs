using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Protocols.Tests.Bridge;

public class EnvelopeSignatureTests
{
    private static readonly MeshEnvelope Sample = new(MeshMessageKind.Cot, NodeId.Parse("3f2a9c1e7b6d5a4f0e1d2c3b4a596877"), 77, 3, 0, "takmessage"u8.ToArray());

    public static TheoryData<string> Keys => new() { "rsa", "ecdsa" };

    private static X509Certificate2 Key(string name) => name == "rsa" ? TestCertificates.Rsa : TestCertificates.Ecdsa;

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_signed_envelope_verifies_after_the_wire_and_after_relays(string key)
    {
        var signed = new OriginSigner(Key(key)).Sign(Sample);

        var read = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(signed));
        var relayed = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(read.Relayed().Relayed()));

        Assert.InRange(signed.Signature!.Value.Length, 1, MeshEnvelopeCodec.MaxSignatureLength);
        Assert.True(EnvelopeSignature.Verify(read, Key(key)));
        Assert.True(EnvelopeSignature.Verify(relayed, Key(key)));
    }

    public static TheoryData<string> Tampering => new() { "kind", "origin", "sequence", "payload", "unsigned", "other-key", "garbage" };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void What_the_origin_did_not_sign_does_not_verify(string change)
    {
        var signed = EnvelopeSignature.Sign(Sample, TestCertificates.Ecdsa);

        var tampered = change switch
        {
            "kind" => signed with { Kind = MeshMessageKind.Control },
            "origin" => signed with { Origin = NodeId.NewRandom() },
            "sequence" => signed with { Sequence = 78 },
            "payload" => signed with { Payload = "takmessagE"u8.ToArray() },
            "unsigned" => signed with { Signature = null },
            "other-key" => EnvelopeSignature.Sign(Sample, TestCertificates.OtherEcdsa),
            "garbage" => signed with { Signature = new byte[] { 0x30, 0x02, 0x01 } },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.False(EnvelopeSignature.Verify(tampered, TestCertificates.Ecdsa));
    }

    [Fact]
    public void The_signed_bytes_are_the_context_kind_origin_sequence_and_payload_of_the_spec()
    {
        var expected = "takcan/v1/envelope"u8.ToArray()
            .Append((byte)0)
            .Concat(Convert.FromHexString("3f2a9c1e7b6d5a4f0e1d2c3b4a596877"))
            .Concat(new byte[] { 0, 0, 0, 77 })
            .Concat("takmessage"u8.ToArray())
            .ToArray();

        Assert.Equal(expected, EnvelopeSignature.SignedBytes(Sample with { Ttl = 5, Hops = 4 }));
    }
}
