using Akka.Streams.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Tests.Mesh.Stages;

public class EnvelopesTests : TestKit
{
    private readonly MeshCounters _countersA = new();
    private readonly MeshCounters _countersB = new();
    private readonly Wire _wire = new();
    private readonly FaceToFace.Ends<MeshEnvelope> _ends;

    public EnvelopesTests() => _ends = FaceToFace.Run(this, Envelopes.Create(_countersA), _wire, Envelopes.Create(_countersB));

    [Fact]
    public void An_envelope_comes_out_on_the_other_side_as_it_went_in_both_ways()
    {
        var fromA = new MeshEnvelope(MeshMessageKind.Cot, NodeId.NewRandom(), 7, 3, 0, new byte[] { 1, 2, 3 });
        var fromB = new MeshEnvelope(MeshMessageKind.Ack, NodeId.NewRandom(), uint.MaxValue, 1, 2, new byte[300]);

        _ends.AIn.SendNext(fromA);
        _ends.BIn.SendNext(fromB);

        Assert.Equal(fromA, _ends.BOut.RequestNext());
        Assert.Equal(fromB, _ends.AOut.RequestNext());
        Assert.Equal(0, _countersB.Drops(MeshDropReason.EnvelopeInvalid));
    }

    [Fact]
    public void Bytes_that_are_not_an_envelope_are_counted_and_dropped_and_the_next_envelope_passes()
    {
        var good = new MeshEnvelope(MeshMessageKind.Cot, NodeId.NewRandom(), 1, 3, 0, "after the junk"u8.ToArray());
        var valid = MeshEnvelopeCodec.ToBytes(good);
        byte[][] junk =
        [
            [],
            [0xC1], // a MessagePack code that is never used
            [0x90], // an empty array
            [0x92, 0x01, 0x00], // two fields only
            [0x98, 0x02, 0x00], // version 2
            valid[..^3], // truncated
            [.. valid.AsSpan(0, 2), 0xCD, 0x01, 0x2C, .. valid.AsSpan(3)], // kind 300
            "<event/>"u8.ToArray(),
        ];
        foreach (var bytes in junk) _wire.InjectTowardsB(bytes);
        _ends.BOut.Request(1);
        AwaitAssert(() => Assert.Equal(junk.Length, _countersB.Drops(MeshDropReason.EnvelopeInvalid)), TimeSpan.FromSeconds(10));

        _ends.AIn.SendNext(good);

        Assert.Equal(good, _ends.BOut.ExpectNext());
    }

    [Fact]
    public void Thousands_of_damaged_envelopes_never_stop_the_stage()
    {
        var random = new Random(20240611);
        var valid = MeshEnvelopeCodec.ToBytes(new MeshEnvelope(MeshMessageKind.Cot, NodeId.NewRandom(), 42, 3, 1, new byte[40]));
        const int damaged = 5_000;
        for (var i = 0; i < damaged; i++)
        {
            // Half random bytes, half a real envelope with a few bytes changed: the second reaches deeper into the reader.
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 80)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = valid.ToArray();
                for (var flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            _wire.InjectTowardsB(bytes);
        }

        var good = new MeshEnvelope(MeshMessageKind.Control, NodeId.NewRandom(), 9, 2, 0, "still here"u8.ToArray());
        _wire.InjectTowardsB(MeshEnvelopeCodec.ToBytes(good));
        _ends.BOut.Request(damaged + 1);

        // Some changed bytes still make an envelope (a flipped payload byte): those come out, the rest are counted.
        var decoded = 0;
        while (true)
        {
            var element = _ends.BOut.ExpectEvent(TimeSpan.FromSeconds(10));
            var next = Assert.IsType<TestSubscriber.OnNext<MeshEnvelope>>(element);
            if (next.Element.Equals(good)) break;
            decoded++;
        }

        Assert.Equal(damaged, decoded + _countersB.Drops(MeshDropReason.EnvelopeInvalid));
        Assert.True(_countersB.Drops(MeshDropReason.EnvelopeInvalid) > damaged / 2);
    }
}
