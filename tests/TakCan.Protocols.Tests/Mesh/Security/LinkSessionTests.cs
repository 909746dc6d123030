using System.Buffers.Binary;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

public class LinkSessionTests
{
    private const ushort KeyId = 0x4B1D;
    private static readonly byte[] AliceToBob = MeshTestKeys.RandomBytes(new Random(1), 32);
    private static readonly byte[] BobToAlice = MeshTestKeys.RandomBytes(new Random(2), 32);

    private static LinkSession Alice() => new(KeyId, AliceToBob, BobToAlice);

    private static LinkSession Bob(ushort keyId = KeyId) => new(keyId, BobToAlice, AliceToBob);

    private static ulong CounterOf(byte[] frame) => BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(3));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4000)]
    public void Seals_and_opens_in_both_directions(int size)
    {
        using var alice = Alice();
        using var bob = Bob();
        var envelope = MeshTestKeys.RandomBytes(new Random(size), size);

        var frame = alice.Seal(envelope);

        Assert.Equal(LinkSession.Overhead + size, frame.Length);
        Assert.True(bob.TryOpen(frame, out var opened, out _));
        Assert.Equal(envelope, opened);
        Assert.True(alice.TryOpen(bob.Seal(envelope), out opened, out _));
        Assert.Equal(envelope, opened);
    }

    [Fact]
    public void The_frame_is_type_key_id_counter_ciphertext_tag_with_a_counter_nonce()
    {
        using var alice = Alice();

        var frame = alice.Seal("payload"u8);

        Assert.Equal(SealedFrame.LinkData, frame[0]);
        Assert.Equal(KeyId, SealedFrame.KeyIdOf(frame));
        Assert.Equal(1UL, CounterOf(frame));
        Assert.Equal("payload"u8.ToArray(), SpecPeer.Open(AliceToBob, frame));
    }

    [Fact]
    public void A_session_cannot_open_its_own_frames()
    {
        using var alice = Alice();

        Assert.False(alice.TryOpen(alice.Seal("echo"u8), out var opened, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
        Assert.Empty(opened);
    }

    [Fact]
    public void Changing_any_single_byte_is_refused_as_auth()
    {
        using var alice = Alice();
        alice.Seal("warm up"u8);
        var frame = alice.Seal("a sealed envelope of some length"u8);

        for (var i = 0; i < frame.Length; i++)
        {
            foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var tampered = (byte[])frame.Clone();
                tampered[i] ^= flip;
                using var bob = Bob();

                Assert.False(bob.TryOpen(tampered, out var opened, out var reason), $"byte {i} ^ {flip:x2}");
                Assert.Equal(MeshDropReason.Auth, reason);
                Assert.Empty(opened);
            }
        }
    }

    [Fact]
    public void A_forged_frame_does_not_move_the_window()
    {
        using var alice = Alice();
        using var bob = Bob();
        var genuine = alice.Seal("first"u8);
        var forged = SpecPeer.Seal(MeshTestKeys.RandomBytes(new Random(3), 32), SealedFrame.LinkData, KeyId, 1_000_000, "forged"u8);

        Assert.False(bob.TryOpen(forged, out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
        Assert.True(bob.TryOpen(genuine, out _, out _));
    }

    [Fact]
    public void A_replayed_frame_is_refused_as_replay()
    {
        using var alice = Alice();
        using var bob = Bob();
        var frame = alice.Seal("once"u8);
        Assert.True(bob.TryOpen(frame, out _, out _));

        Assert.False(bob.TryOpen(frame, out var opened, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
        Assert.Empty(opened);
    }

    [Fact]
    public void Frames_out_of_order_within_the_window_are_accepted_and_too_old_ones_refused()
    {
        using var alice = Alice();
        using var bob = Bob();
        var frames = Enumerable.Range(0, 1200).Select(_ => alice.Seal("x"u8)).ToArray();

        Assert.True(bob.TryOpen(frames[^1], out _, out _));
        for (var i = frames.Length - 2; i >= frames.Length - ReplayWindow.Size; i--) Assert.True(bob.TryOpen(frames[i], out _, out _), $"frame {i}");

        Assert.False(bob.TryOpen(frames[frames.Length - ReplayWindow.Size - 1], out _, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
        Assert.False(bob.TryOpen(frames[0], out _, out reason));
        Assert.Equal(MeshDropReason.Replay, reason);
    }

    [Fact]
    public void The_largest_counter_opens_and_then_nothing_older_than_the_window()
    {
        using var bob = Bob();
        var last = SpecPeer.Seal(AliceToBob, SealedFrame.LinkData, KeyId, ulong.MaxValue, "last"u8);
        var early = SpecPeer.Seal(AliceToBob, SealedFrame.LinkData, KeyId, 5, "early"u8);

        Assert.True(bob.TryOpen(last, out var opened, out _));
        Assert.Equal("last"u8.ToArray(), opened);
        Assert.False(bob.TryOpen(early, out _, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
    }

    [Fact]
    public void Counter_zero_is_the_AUTHs_and_never_opens_as_data()
    {
        using var bob = Bob();
        var zero = SpecPeer.Seal(AliceToBob, SealedFrame.LinkData, KeyId, 0, "zero"u8);

        Assert.False(bob.TryOpen(zero, out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Fact]
    public void A_frame_under_another_key_id_is_refused_as_auth()
    {
        using var alice = Alice();
        using var bob = Bob(keyId: KeyId + 1);

        Assert.False(bob.TryOpen(alice.Seal("rotated"u8), out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Fact]
    public void Other_frame_types_are_refused_as_auth()
    {
        using var bob = Bob();
        foreach (var type in new byte[] { SealedFrame.Hello, SealedFrame.Auth, SealedFrame.GroupData, SealedFrame.Beacon, 0x00, 0xFF })
        {
            var frame = SpecPeer.Seal(AliceToBob, type, KeyId, 7, "typed"u8);

            Assert.False(bob.TryOpen(frame, out _, out var reason), $"type {type:x2}");
            Assert.Equal(MeshDropReason.Auth, reason);
        }
    }

    [Fact]
    public void Every_truncation_is_refused_as_auth()
    {
        using var alice = Alice();
        using var bob = Bob();
        var frame = alice.Seal("a frame to cut short"u8);

        for (var length = 0; length < frame.Length; length++)
        {
            Assert.False(bob.TryOpen(frame.AsSpan(0, length), out _, out var reason), $"{length} bytes");
            Assert.Equal(MeshDropReason.Auth, reason);
        }

        Assert.True(bob.TryOpen(frame, out _, out _));
    }

    [Fact]
    public void Counters_in_emitted_frames_strictly_increase_from_one()
    {
        using var alice = Alice();

        var counters = Enumerable.Range(0, 5000).Select(_ => CounterOf(alice.Seal("n"u8))).ToArray();

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => (ulong)i), counters);
    }
}
