using System.Buffers.Binary;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Fragments;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh;

/// <summary>
/// Whatever arrives on the air, each inbound layer either accepts it or drops it with a reason: no other exception,
/// and memory bounded by the configured limits, not by what an attacker sends.
/// </summary>
/// <remarks>
/// Not run beside other test classes: <see cref="GC.GetTotalMemory"/> counts the whole process, so another class
/// allocating at the same time (the CoT hostile-input tests do, heavily) showed up here as growth.
/// </remarks>
[Collection(MemoryMeasurement.Collection)]
public class HostileInputTests
{
    private const int Frames = 100_000;
    private const int Mtu = 480;

    [Fact]
    public void Random_frames_into_every_inbound_layer_neither_throw_nor_grow_memory()
    {
        var random = new Random(4242);
        var ring = MeshTestKeys.Ring(1);
        var keyId = ring.Current.KeyId;
        var limits = ReassemblyLimits.Default;
        var reassembler = new Reassembler(limits);
        var retransmit = new RetransmitBuffer();
        using var link = new LinkSession(keyId, MeshTestKeys.RandomBytes(random, 32), MeshTestKeys.RandomBytes(random, 32));
        using var group = new GroupCipher(ring, "Cyan");
        var handshake = new LinkHandshake(ring, new MeshPeerInfo(NodeId.NewRandom(), "Cyan"));
        var validEnvelope = MeshEnvelopeCodec.ToBytes(new MeshEnvelope(MeshMessageKind.Cot, NodeId.NewRandom(), 1, 3, 0, new byte[40]));
        for (uint id = 0; id < 16; id++) retransmit.Remember(id, Fragmenter.Split(new byte[3000], id, Mtu), TimeSpan.Zero);
        var ceiling = (long)limits.MaxPartialMessages * limits.MaxMessageBytes;
        var counts = new Dictionary<string, int>();
        void Count(string what) => counts[what] = counts.GetValueOrDefault(what) + 1;

        // Warm up every path once so the first-use allocations (JIT, crypto handles) are not counted.
        for (var i = 0; i < 2000; i++) Feed(Junk(random, keyId, validEnvelope), TimeSpan.Zero);
        reassembler.Expire(TimeSpan.FromDays(1));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < Frames; i++)
        {
            var now = TimeSpan.FromMilliseconds(i);
            Feed(Junk(random, keyId, validEnvelope), now);

            Assert.InRange(reassembler.BufferedBytes, 0, ceiling);
            Assert.InRange(reassembler.PartialCount, 0, limits.MaxPartialMessages);
            if (i % 64 == 0)
            {
                foreach (var nack in reassembler.DueNacks(now)) Assert.True(FragmentHeader.TryRead(nack, out _));
                reassembler.Expire(now);
            }
        }

        reassembler.Expire(TimeSpan.FromDays(1));
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(after - before < 4 * 1024 * 1024, $"memory grew by {(after - before) / 1024} KiB");
        Assert.Equal(0, reassembler.BufferedBytes);
        // The junk reached the deeper checks, not only the first length test.
        Assert.True(counts.GetValueOrDefault("pending") > 100, "reassembly never buffered");
        Assert.True(counts.GetValueOrDefault("too-large") > 100, "no absurd counts");
        Assert.True(counts.GetValueOrDefault("nack") > 100, "no NACKs");
        Assert.True(counts.GetValueOrDefault("envelope-invalid") > 1000, "no envelope errors");
        Assert.True(counts.GetValueOrDefault("auth-rejected") > 100, "no AUTH reached the handshake's decryption");

        void Feed(byte[] frame, TimeSpan now)
        {
            var valid = FragmentHeader.TryRead(frame, out var header);
            var payload = frame.Length > FragmentHeader.Size ? frame.AsSpan(FragmentHeader.Size) : [];
            // Accept must hold its own line even for a header TryRead refused.
            var outcome = reassembler.Accept(header, payload, now, out _, out var drop);
            if (outcome == ReassemblyOutcome.Pending) Count("pending");
            if (outcome == ReassemblyOutcome.Dropped && drop == MeshDropReason.ReassemblyTooLarge) Count("too-large");
            if (valid && header.Kind == FragmentHeader.NackKind)
            {
                Count("nack");
                retransmit.Answer(header, frame, TimeSpan.FromSeconds(1));
            }

            Assert.False(link.TryOpen(frame, out _, out _));
            Assert.False(group.TryOpen(frame, out _, out _));
            var rejectedAuths = handshake.RejectedAuths;
            handshake.Receive(frame);
            // Junk never decrypts: it must neither bring the attempt up nor end it (anyone in range could send it).
            Assert.Equal(HandshakeState.Pending, handshake.State);
            Assert.Null(handshake.Session);
            if (handshake.RejectedAuths > rejectedAuths) Count("auth-rejected");
            try
            {
                MeshEnvelopeCodec.Read(frame);
            }
            catch (MeshFormatException e)
            {
                Assert.Equal(MeshDropReason.EnvelopeInvalid, e.Reason);
                Count("envelope-invalid");
            }
        }
    }

    /// <summary>Random bytes of length 0–600, often shaped to get past the first checks of one layer or another.</summary>
    private static byte[] Junk(Random random, ushort keyId, byte[] validEnvelope)
    {
        var frame = MeshTestKeys.RandomBytes(random, random.Next(0, 601));
        switch (random.Next(8))
        {
            case 0 when frame.Length >= FragmentHeader.Size:
                // A data fragment of one of a few messages, with any index and count.
                frame[0] = FragmentHeader.DataKind;
                frame[1] = frame[2] = 0;
                frame[3] = (byte)random.Next(12);
                break;
            case 1 when frame.Length >= FragmentHeader.Size:
                // A well-formed NACK for a message the sender may still hold.
                var count = (byte)random.Next(1, 256);
                frame = Fragmenter.Nack((uint)random.Next(20), count, Enumerable.Range(0, count).Where(_ => random.Next(2) == 0));
                break;
            case 2 when frame.Length >= SealedFrame.LinkHeaderSize:
                frame[0] = (byte)random.Next(SealedFrame.Hello, SealedFrame.Beacon + 1);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), keyId);
                break;
            case 3:
                frame = (byte[])validEnvelope.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--) frame[random.Next(frame.Length)] = (byte)random.Next(256);
                if (random.Next(3) == 0) frame = frame[..random.Next(frame.Length)];
                break;
            case 4 when frame.Length > 0:
                frame[0] = (byte)(0x90 | random.Next(16)); // a MessagePack fixarray header
                break;
        }

        return frame;
    }

    [Fact]
    public void Fragment_index_at_or_past_count_is_refused_by_both_header_and_reassembler()
    {
        var reassembler = new Reassembler();
        for (var count = 0; count <= 255; count++)
        {
            foreach (var index in new[] { count, count + 1, 255 })
            {
                if (index > 255) continue;
                byte[] frame = [FragmentHeader.DataKind, 0, 0, 1, (byte)index, (byte)count, 0xAA];

                Assert.False(FragmentHeader.TryRead(frame, out var header));
                Assert.Equal(ReassemblyOutcome.Dropped, reassembler.Accept(header, frame.AsSpan(6), TimeSpan.Zero, out _, out var drop));
                Assert.Equal(MeshDropReason.FragmentInvalid, drop);
            }
        }

        Assert.Equal(0, reassembler.PartialCount);
    }

    [Fact]
    public void Absurd_counts_from_many_messages_never_hold_more_than_the_limits()
    {
        var limits = ReassemblyLimits.Default;
        var reassembler = new Reassembler(limits);
        var random = new Random(77);

        for (var i = 0; i < 20_000; i++)
        {
            var count = (byte)random.Next(2, 256);
            var header = new FragmentHeader(FragmentHeader.DataKind, (uint)random.Next(1000), (byte)random.Next(count), count);
            reassembler.Accept(header, new byte[random.Next(1, Mtu - FragmentHeader.Size + 1)], TimeSpan.FromMilliseconds(i), out _, out _);

            Assert.InRange(reassembler.BufferedBytes, 0, (long)limits.MaxPartialMessages * limits.MaxMessageBytes);
        }
    }

    [Fact]
    public void An_envelope_with_ttl_255_round_trips_unclamped()
    {
        // Clamping to the mission's maximum is the relay's job; the codec carries what it is given.
        var envelope = new MeshEnvelope(MeshMessageKind.Cot, NodeId.NewRandom(), 9, 255, 0, new byte[10]);

        Assert.Equal(255, MeshEnvelopeCodec.Read(MeshEnvelopeCodec.ToBytes(envelope)).Ttl);
    }
}

/// <summary>Tests that measure process-wide memory: xUnit runs this collection alone, after the parallel ones.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Collection = "Memory measurement (not parallel)";
}
