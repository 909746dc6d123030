using System.Buffers.Binary;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

public sealed class GroupCipherTests : IDisposable
{
    private readonly List<GroupCipher> _ciphers = [];

    private GroupCipher Node(MeshKeyRing? ring = null, string? team = "Cyan")
    {
        var cipher = new GroupCipher(ring ?? MeshTestKeys.Ring(1), team);
        _ciphers.Add(cipher);
        return cipher;
    }

    public void Dispose()
    {
        foreach (var cipher in _ciphers) cipher.Dispose();
    }

    [Fact]
    public void Two_nodes_with_the_same_key_exchange_frames()
    {
        var alpha = Node();
        var bravo = Node();

        for (var size = 0; size < 3000; size += 499)
        {
            var envelope = MeshTestKeys.RandomBytes(new Random(size), size);
            Assert.True(bravo.TryOpen(alpha.Seal(envelope), out var atBravo, out _));
            Assert.Equal(envelope, atBravo);
            Assert.True(alpha.TryOpen(bravo.Seal(envelope), out var atAlpha, out _));
            Assert.Equal(envelope, atAlpha);
        }
    }

    [Fact]
    public void The_frame_is_type_key_id_random_nonce_ciphertext_tag()
    {
        var alpha = Node();

        var first = alpha.Seal("same"u8);
        var second = alpha.Seal("same"u8);

        Assert.Equal(GroupCipher.Overhead + 4, first.Length);
        Assert.Equal(15 + 8 + 8 + 16, GroupCipher.Overhead);
        Assert.Equal(SealedFrame.GroupData, first[0]);
        Assert.Equal(MeshTestKeys.KeySet(1).KeyId, SealedFrame.KeyIdOf(first));
        Assert.NotEqual(first[3..15], second[3..15]);
        Assert.NotEqual(first[15..], second[15..]);
    }

    [Fact]
    public void A_replay_is_refused_per_sender()
    {
        var alpha = Node();
        var bravo = Node();
        var charlie = Node();
        // Both senders start their counters at 1: one window each, so neither shadows the other.
        var fromAlpha = alpha.Seal("a"u8);
        var fromBravo = bravo.Seal("b"u8);

        Assert.True(charlie.TryOpen(fromAlpha, out _, out _));
        Assert.True(charlie.TryOpen(fromBravo, out _, out _));
        Assert.False(charlie.TryOpen(fromAlpha, out var opened, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
        Assert.Empty(opened);
        Assert.False(charlie.TryOpen(fromBravo, out _, out reason));
        Assert.Equal(MeshDropReason.Replay, reason);
    }

    [Fact]
    public void Frames_from_one_sender_out_of_order_are_accepted_once()
    {
        var alpha = Node();
        var bravo = Node();
        var frames = Enumerable.Range(0, 50).Select(i => alpha.Seal([(byte)i])).ToArray();
        var order = Enumerable.Range(0, frames.Length).ToArray();
        new Random(8).Shuffle(order);

        foreach (var i in order)
        {
            Assert.True(bravo.TryOpen(frames[i], out var opened, out _));
            Assert.Equal([(byte)i], opened);
        }

        Assert.All(frames, frame => Assert.False(bravo.TryOpen(frame, out _, out _)));
    }

    [Fact]
    public void Our_own_frames_heard_back_are_refused()
    {
        var alpha = Node();

        Assert.False(alpha.TryOpen(alpha.Seal("mine"u8), out var opened, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
        Assert.Empty(opened);
    }

    [Fact]
    public void Another_mission_key_is_refused_as_auth()
    {
        var alpha = Node(MeshTestKeys.Ring(1));
        var stranger = Node(MeshTestKeys.Ring(2));

        Assert.False(stranger.TryOpen(alpha.Seal("secret"u8), out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
        Assert.False(alpha.TryOpen(stranger.Seal("inject"u8), out _, out reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Fact]
    public void Another_key_with_the_same_key_id_is_refused_as_auth()
    {
        var (first, second) = TwoKeysWithOneKeyId();
        var alpha = Node(new MeshKeyRing(first));
        var stranger = Node(new MeshKeyRing(second));

        Assert.False(stranger.TryOpen(alpha.Seal("secret"u8), out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    private static (MeshKeySet, MeshKeySet) TwoKeysWithOneKeyId()
    {
        // Key ids are 16 bits: by the birthday bound a collision turns up within a few hundred keys.
        var seen = new Dictionary<ushort, MeshKeySet>();
        for (var seed = 1000; ; seed++)
        {
            var keys = MeshTestKeys.KeySet(seed);
            if (seen.TryGetValue(keys.KeyId, out var earlier)) return (earlier, keys);
            seen[keys.KeyId] = keys;
        }
    }

    [Fact]
    public void During_a_rotation_frames_under_the_previous_key_still_open()
    {
        var rotated = Node(MeshTestKeys.Ring(2, 1));
        var behind = Node(MeshTestKeys.Ring(1));

        Assert.True(rotated.TryOpen(behind.Seal("old key"u8), out _, out _));
        Assert.False(behind.TryOpen(rotated.Seal("new key"u8), out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Theory]
    [InlineData("Cyan", "Red", false)]
    [InlineData("Cyan", null, false)]
    [InlineData("Cyan", "cyan", true)]
    [InlineData(null, null, true)]
    public void With_the_team_filter_on_only_the_same_team_can_open(string? senderTeam, string? receiverTeam, bool opens)
    {
        var sender = Node(team: senderTeam);
        var receiver = Node(team: receiverTeam);

        Assert.Equal(opens, receiver.TryOpen(sender.Seal("team"u8), out _, out var reason));
        if (!opens) Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Fact]
    public void Changing_any_single_byte_is_refused_as_auth()
    {
        var alpha = Node();
        var frame = alpha.Seal("a broadcast envelope"u8);

        for (var i = 0; i < frame.Length; i++)
        {
            var tampered = (byte[])frame.Clone();
            tampered[i] ^= (byte)(1 << (i % 8));
            var bravo = Node();

            Assert.False(bravo.TryOpen(tampered, out var opened, out var reason), $"byte {i}");
            Assert.Equal(MeshDropReason.Auth, reason);
            Assert.Empty(opened);
        }
    }

    [Fact]
    public void Every_truncation_is_refused_as_auth()
    {
        var alpha = Node();
        var bravo = Node();
        var frame = alpha.Seal("cut"u8);

        for (var length = 0; length < frame.Length; length++)
        {
            Assert.False(bravo.TryOpen(frame.AsSpan(0, length), out _, out var reason), $"{length} bytes");
            Assert.Equal(MeshDropReason.Auth, reason);
        }

        Assert.True(bravo.TryOpen(frame, out _, out _));
    }

    [Fact]
    public void A_link_frame_is_not_a_group_frame()
    {
        var bravo = Node();
        var frame = SpecPeer.Seal(MeshTestKeys.KeySet(1).Group, SealedFrame.LinkData, MeshTestKeys.KeySet(1).KeyId, 1, new byte[40]);

        Assert.False(bravo.TryOpen(frame, out _, out var reason));
        Assert.Equal(MeshDropReason.Auth, reason);
    }

    [Theory]
    [InlineData(GroupCipher.MaxSenders - 1, false)]
    [InlineData(GroupCipher.MaxSenders, true)]
    public void The_sender_table_forgets_the_least_recently_heard_beyond_MaxSenders(int othersHeard, bool forgotten)
    {
        var listener = Node();
        var first = Node();
        var early = first.Seal("early"u8);
        Assert.True(listener.TryOpen(early, out _, out _));

        HearNewSenders(listener, othersHeard);

        // Once evicted, the first sender's old frame looks new again: the table holds 1 024 windows, no more.
        Assert.Equal(forgotten, listener.TryOpen(early, out _, out _));
    }

    [Fact]
    public void A_sender_heard_recently_is_kept_while_many_others_come_and_go()
    {
        var listener = Node();
        var regular = Node();
        var early = regular.Seal("early"u8);
        Assert.True(listener.TryOpen(early, out _, out _));

        for (var burst = 0; burst < 3; burst++)
        {
            HearNewSenders(listener, GroupCipher.MaxSenders / 2);
            Assert.True(listener.TryOpen(regular.Seal("still here"u8), out _, out _));
        }

        Assert.False(listener.TryOpen(early, out var _, out var reason));
        Assert.Equal(MeshDropReason.Replay, reason);
    }

    private static void HearNewSenders(GroupCipher listener, int count)
    {
        var keys = MeshTestKeys.Ring(1);
        for (var i = 0; i < count; i++)
        {
            using var sender = new GroupCipher(keys, "Cyan");
            Assert.True(listener.TryOpen(sender.Seal([(byte)i]), out _, out _));
        }
    }

    [Fact]
    public void The_sender_id_and_counter_travel_only_inside_the_encryption()
    {
        var alpha = Node();
        var frames = Enumerable.Range(0, 20).Select(_ => alpha.Seal(new byte[8])).ToArray();

        // A sender id in clear would be the same 8 bytes at the same place in every frame of one node;
        // past type and key id, no 8-byte run repeats between any two frames.
        for (var at = 3; at + 8 <= frames[0].Length; at++)
        {
            var runs = frames.Select(f => Convert.ToHexString(f, at, 8)).ToArray();
            Assert.Equal(runs.Length, runs.Distinct().Count());
        }

        for (var i = 0; i < frames.Length; i++)
        {
            var counter = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(counter, (ulong)(i + 1));
            Assert.False(MeshTestKeys.Contains(frames[i], counter));
        }
    }
}
