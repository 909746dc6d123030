using System.Runtime.InteropServices;
using MessagePack;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Tests.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Envelopes;

public class MeshEnvelopeCodecTests
{
    private static readonly NodeId Origin = NodeId.Parse("3f2a9c1e7b6d5a4f0e1d2c3b4a596877");
    private static readonly byte[] OriginBytes = Origin.ToBytes();

    private static readonly MeshEnvelope Sample = new(MeshMessageKind.Cot, Origin, 1234, 3, 0, "takmessage"u8.ToArray());

    private static MeshFormatException AssertInvalid(byte[] bytes)
    {
        var error = Assert.Throws<MeshFormatException>(() => MeshEnvelopeCodec.Read(bytes));
        Assert.Equal(MeshDropReason.EnvelopeInvalid, error.Reason);
        return error;
    }

    /// <summary>An envelope array written field by field, so tests can put anything anywhere.</summary>
    private static byte[] Array(int count, PackAction fields) => SpecPeer.Pack((ref MessagePackWriter writer) =>
    {
        writer.WriteArrayHeader(count);
        fields(ref writer);
    });

    private static void SpecFields(ref MessagePackWriter writer, int version = 1, int kind = 0, int sequence = 1234, int ttl = 3)
    {
        writer.Write(version);
        writer.Write(kind);
        writer.Write(OriginBytes);
        writer.Write(sequence);
        writer.Write(ttl);
        writer.Write(0);
        writer.Write("takmessage"u8);
    }

    [Theory]
    [InlineData(MeshMessageKind.Cot)]
    [InlineData(MeshMessageKind.Control)]
    [InlineData(MeshMessageKind.Ack)]
    [InlineData(MeshMessageKind.Beacon)]
    public void Every_kind_round_trips(MeshMessageKind kind)
    {
        var envelope = Sample with { Kind = kind, Sequence = uint.MaxValue, Ttl = 5, Hops = 2 };

        var read = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(envelope));

        Assert.Equal(envelope, read);
        Assert.Equal(kind, read.Kind);
        Assert.Equal(Origin, read.Origin);
        Assert.Equal(uint.MaxValue, read.Sequence);
        Assert.Null(read.Signature);
    }

    [Fact]
    public void The_wire_form_is_the_eight_element_array_of_the_spec()
    {
        var expected = Array(8, (ref MessagePackWriter w) =>
        {
            SpecFields(ref w);
            w.WriteNil();
        });

        Assert.Equal(expected, MeshEnvelopeCodec.ToBytes(Sample));
        Assert.True(MeshEnvelopeCodec.ToBytes(Sample).Length <= Sample.Payload.Length + MeshEnvelopeCodec.MaxOverhead);
    }

    [Fact]
    public void The_worst_case_overhead_holds()
    {
        var envelope = new MeshEnvelope(MeshMessageKind.Beacon, Origin, uint.MaxValue, 255, 255, new byte[70_000]);

        Assert.True(MeshEnvelopeCodec.ToBytes(envelope).Length <= envelope.Payload.Length + MeshEnvelopeCodec.MaxOverhead);
    }

    [Fact]
    public void A_nil_signature_reads_as_absent_and_is_written_again_as_nil()
    {
        var bytes = MeshEnvelopeCodec.ToBytes(Sample);

        var read = MeshEnvelopeCodec.Read(bytes);

        Assert.Null(read.Signature);
        Assert.Equal(bytes, MeshEnvelopeCodec.ToBytes(read));
        Assert.Equal(bytes, MeshEnvelopeCodec.ToBytes(read.Relayed() with { Ttl = read.Ttl, Hops = read.Hops }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(MeshEnvelopeCodec.MaxSignatureLength)]
    public void A_signature_round_trips(int length)
    {
        var signature = MeshTestKeys.RandomBytes(new Random(length), length);
        var envelope = Sample with { Signature = signature };

        var read = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(envelope));

        Assert.NotNull(read.Signature);
        Assert.Equal(signature, read.Signature.Value.ToArray());
        Assert.Equal(envelope, read);
        Assert.NotEqual(Sample, read);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(MeshEnvelopeCodec.MaxSignatureLength + 1)]
    [InlineData(60_000)]
    public void A_signature_that_is_empty_or_too_long_is_invalid(int length)
    {
        var bytes = Array(8, (ref MessagePackWriter w) =>
        {
            SpecFields(ref w);
            w.Write(new byte[length]);
        });

        Assert.Contains("signature", AssertInvalid(bytes).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MeshEnvelopeCodec.ToBytes(Sample with { Signature = new byte[length] }));
    }

    [Fact]
    public void Ttl_and_hops_255_round_trip()
    {
        var envelope = Sample with { Ttl = 255, Hops = 255 };

        var read = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(envelope));

        Assert.Equal(255, read.Ttl);
        Assert.Equal(255, read.Hops);
    }

    [Fact]
    public void An_empty_payload_round_trips()
    {
        var read = MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(Sample with { Payload = ReadOnlyMemory<byte>.Empty }));

        Assert.True(read.Payload.IsEmpty);
    }

    [Fact]
    public void The_payload_is_a_slice_of_the_input_not_a_copy()
    {
        var bytes = MeshEnvelopeCodec.ToBytes(Sample);

        var read = MeshEnvelopeCodec.Read(bytes);

        Assert.True(MemoryMarshal.TryGetArray(read.Payload, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Trailing_array_elements_from_a_later_version_are_skipped()
    {
        var bytes = Array(11, (ref MessagePackWriter w) =>
        {
            SpecFields(ref w);
            w.Write("signature"u8);
            w.Write("a later field");
            w.WriteMapHeader(1);
            w.Write("nested");
            w.WriteArrayHeader(2);
            w.Write(1);
            w.Write(2);
            w.Write(3.5);
        });

        var read = MeshEnvelopeCodec.Read(bytes);

        Assert.Equal(Sample with { Signature = "signature"u8.ToArray() }, read);
    }

    [Fact]
    public void Every_truncation_is_invalid()
    {
        var bytes = MeshEnvelopeCodec.ToBytes(Sample with { Signature = new byte[8] });

        for (var length = 0; length < bytes.Length; length++) AssertInvalid(bytes[..length]);
    }

    [Fact]
    public void Random_garbage_is_invalid_and_nothing_else_escapes()
    {
        var random = new Random(21);
        var valid = MeshEnvelopeCodec.ToBytes(Sample with { Signature = new byte[4] });

        for (var i = 0; i < 20_000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = MeshTestKeys.RandomBytes(random, random.Next(0, 80));
            }
            else
            {
                bytes = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                MeshEnvelopeCodec.Read(bytes);
            }
            catch (MeshFormatException e)
            {
                Assert.Equal(MeshDropReason.EnvelopeInvalid, e.Reason);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Another_version_is_invalid(int version)
    {
        var error = AssertInvalid(Array(8, (ref MessagePackWriter w) =>
        {
            SpecFields(ref w, version: version);
            w.WriteNil();
        }));

        Assert.Contains("version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_too_large_for_any_integer_type_is_invalid()
    {
        AssertInvalid(Array(8, (ref MessagePackWriter w) => w.Write(ulong.MaxValue)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void An_origin_of_the_wrong_length_is_invalid(int length)
    {
        AssertInvalid(Array(8, (ref MessagePackWriter w) =>
        {
            w.Write(1);
            w.Write(0);
            w.Write(new byte[length]);
            w.Write(1);
            w.Write(3);
            w.Write(0);
            w.Write("p"u8);
            w.WriteNil();
        }));
    }

    public static TheoryData<string> MalformedFields => new()
    {
        "nil-origin", "int-origin", "nil-payload", "int-payload", "kind-4", "kind-300", "negative-sequence", "sequence-2^32",
        "ttl-256", "negative-hops", "int-signature", "seven-fields", "map", "empty-array", "nil",
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public void A_malformed_field_is_invalid(string kind)
    {
        var bytes = kind switch
        {
            "seven-fields" => Array(7, (ref MessagePackWriter w) => SpecFields(ref w)),
            "map" => SpecPeer.Pack((ref MessagePackWriter w) => w.WriteMapHeader(0)),
            "empty-array" => Array(0, (ref MessagePackWriter _) => { }),
            "nil" => SpecPeer.Pack((ref MessagePackWriter w) => w.WriteNil()),
            _ => Array(8, (ref MessagePackWriter w) =>
            {
                w.Write(1);
                if (kind == "kind-4") w.Write(4);
                else if (kind == "kind-300") w.Write(300);
                else w.Write(0);
                if (kind == "nil-origin") w.WriteNil();
                else if (kind == "int-origin") w.Write(16);
                else w.Write(OriginBytes);
                if (kind == "negative-sequence") w.Write(-1);
                else if (kind == "sequence-2^32") w.Write(1L << 32);
                else w.Write(1);
                w.Write(kind == "ttl-256" ? 256 : 3);
                w.Write(kind == "negative-hops" ? -1 : 0);
                if (kind == "nil-payload") w.WriteNil();
                else if (kind == "int-payload") w.Write(7);
                else w.Write("p"u8);
                if (kind == "int-signature") w.Write(7);
                else w.WriteNil();
            }),
        };

        AssertInvalid(bytes);
    }

    [Fact]
    public void A_relayed_copy_is_one_hop_further_and_one_less_to_go()
    {
        var relayed = Sample.Relayed();

        Assert.Equal(Sample with { Ttl = 2, Hops = 1 }, relayed);
        Assert.Equal(Sample.Payload, relayed.Payload);
    }

    [Fact]
    public void Envelopes_are_equal_by_content()
    {
        var copy = Sample with { Payload = "takmessage"u8.ToArray() };

        Assert.Equal(Sample, copy);
        Assert.Equal(Sample.GetHashCode(), copy.GetHashCode());
        Assert.NotEqual(Sample, Sample with { Payload = "takmessagE"u8.ToArray() });
        Assert.NotEqual(Sample, Sample with { Sequence = 1235 });
    }
}
