using System.Buffers.Binary;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

public class LinkHandshakeTests
{
    internal static readonly MeshPeerInfo Alpha = new(NodeId.Parse("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"), "Cyan");
    internal static readonly MeshPeerInfo Bravo = new(NodeId.Parse("b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"), "Cyan");

    private static HandshakeWire Wire(MeshKeyRing a, MeshKeyRing b, MeshPeerInfo? alpha = null, MeshPeerInfo? bravo = null,
        bool aFilter = true, bool bFilter = true) =>
        new(new LinkHandshake(a, alpha ?? Alpha, aFilter), new LinkHandshake(b, bravo ?? Bravo, bFilter));

    private static HandshakeWire Wire() => Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1));

    internal static void AssertInteroperate(LinkSession a, LinkSession b)
    {
        var random = new Random(5);
        for (var i = 0; i < 4; i++)
        {
            var toB = MeshTestKeys.RandomBytes(random, random.Next(0, 300));
            Assert.True(b.TryOpen(a.Seal(toB), out var atB, out var reason), $"B could not open A's frame: {reason}");
            Assert.Equal(toB, atB);

            var toA = MeshTestKeys.RandomBytes(random, random.Next(0, 300));
            Assert.True(a.TryOpen(b.Seal(toA), out var atA, out reason), $"A could not open B's frame: {reason}");
            Assert.Equal(toA, atA);
        }
    }

    private static void AssertUp(HandshakeWire wire)
    {
        Assert.Equal(HandshakeState.Up, wire.A.State);
        Assert.Equal(HandshakeState.Up, wire.B.State);
        Assert.Null(wire.A.Failure);
        Assert.Null(wire.B.Failure);
        AssertInteroperate(wire.A.Session!, wire.B.Session!);
    }

    private static void AssertNeverUp(HandshakeWire wire)
    {
        Assert.False(wire.AWasUp, "A came up");
        Assert.False(wire.BWasUp, "B came up");
        Assert.Null(wire.A.Session);
        Assert.Null(wire.B.Session);
        Assert.Null(wire.A.Peer);
        Assert.Null(wire.B.Peer);
    }

    /// <summary>
    /// An AUTH that does not decrypt is ignored, not fatal (anyone in range could send one), but counted: the
    /// attempt stays pending, nothing is up, and the link stage reports its timeout as HandshakeAuth.
    /// </summary>
    private static void AssertStillPendingAfterRejectedAuths(LinkHandshake handshake, int? rejected = null)
    {
        Assert.Equal(HandshakeState.Pending, handshake.State);
        Assert.Null(handshake.Failure);
        Assert.Null(handshake.Session);
        Assert.Null(handshake.Peer);
        if (rejected is { } expected) Assert.Equal(expected, handshake.RejectedAuths);
        else Assert.True(handshake.RejectedAuths > 0, "no AUTH was rejected");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Both_sides_come_up_whichever_starts(bool alphaFirst)
    {
        var wire = Wire();

        wire.Start(alphaFirst ? Side.A : Side.B);
        wire.Run();

        AssertUp(wire);
        Assert.Equal(Bravo, wire.A.Peer);
        Assert.Equal(Alpha, wire.B.Peer);
    }

    [Fact]
    public void The_exchange_is_hello_hello_auth_auth_as_in_the_spec()
    {
        var wire = Wire();

        wire.Start(Side.A);
        wire.Run();

        Assert.Equal(
            [(Side.A, SealedFrame.Hello), (Side.B, SealedFrame.Hello), (Side.B, SealedFrame.Auth), (Side.A, SealedFrame.Auth)],
            wire.Sent.Select(s => (s.From, s.Frame[0])).ToArray());
        var helloB = wire.Sent[1].Frame;
        Assert.Equal(SpecPeer.NonceOf(wire.Sent[0].Frame), SpecPeer.EchoOf(helloB));
    }

    [Fact]
    public void Both_come_up_when_they_start_at_the_same_time()
    {
        var wire = Wire();

        wire.Start(Side.A);
        wire.Start(Side.B);
        wire.Run();

        AssertUp(wire);
        Assert.Equal(Bravo, wire.A.Peer);
        Assert.Equal(Alpha, wire.B.Peer);
    }

    [Fact]
    public void The_peer_reports_node_team_and_version()
    {
        var charlie = new MeshPeerInfo(NodeId.Parse("0102030405060708090a0b0c0d0e0f10"), "Cyan", 1);
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1), bravo: charlie);

        wire.Start(Side.A);
        wire.Run();

        Assert.Equal(charlie.Node, wire.A.Peer!.Node);
        Assert.Equal("Cyan", wire.A.Peer.Team);
        Assert.Equal(1, wire.A.Peer.MaxVersion);
    }

    [Fact]
    public void There_is_no_session_before_the_link_is_up()
    {
        var wire = Wire();
        var helloA = wire.A.CreateHello();

        var fromB = wire.B.Receive(helloA);

        Assert.Equal(HandshakeState.Pending, wire.B.State);
        Assert.Null(wire.B.Session);
        Assert.Null(wire.B.Peer);
        foreach (var frame in fromB) wire.A.Receive(frame);
        Assert.Equal(HandshakeState.Up, wire.A.State);
        Assert.NotNull(wire.A.Session);
    }

    [Fact]
    public void A_wrong_mission_key_never_comes_up_counts_every_AUTH_as_rejected_and_leaves_no_session()
    {
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(2));

        wire.Start(Side.A);
        Assert.Equal(-1, wire.RunWithRetries(3));

        AssertNeverUp(wire);
        // Each side got the other's AUTH on every round, and not one of them decrypted.
        Assert.True(wire.SentBy(Side.A, SealedFrame.Auth).Count() >= 3);
        Assert.True(wire.SentBy(Side.B, SealedFrame.Auth).Count() >= 3);
        AssertStillPendingAfterRejectedAuths(wire.A, rejected: wire.SentBy(Side.B, SealedFrame.Auth).Count());
        AssertStillPendingAfterRejectedAuths(wire.B, rejected: wire.SentBy(Side.A, SealedFrame.Auth).Count());
    }

    [Fact]
    public void An_AUTH_under_the_right_link_key_with_a_MAC_under_another_auth_key_fails_with_handshake_auth()
    {
        // The AUTH decrypts (right K_link) but its MAC was made with a K_auth from another mission key: that is
        // no stranger's junk but a peer that cannot prove the key, so the attempt fails at once.
        var missionKey = MeshTestKeys.MissionKey(1);
        var alpha = new LinkHandshake(new MeshKeyRing(new MeshKeySet(missionKey)), Alpha);
        var bravo = new SpecPeer(missionKey, new Random(17));
        var otherAuthKey = new SpecPeer(MeshTestKeys.MissionKey(2), new Random(18));
        var nonceA = SpecPeer.NonceOf(alpha.CreateHello());
        alpha.Receive(bravo.CreateHello(nonceA));

        var forged = bravo.CreateAuth(nonceA, SpecPeer.Info(Bravo.Node, Bravo.Team), mac: otherAuthKey.Mac(bravo.Nonce, nonceA));
        alpha.Receive(forged);

        Assert.Equal(HandshakeState.Failed, alpha.State);
        Assert.Equal(MeshDropReason.HandshakeAuth, alpha.Failure);
        Assert.Equal(0, alpha.RejectedAuths);
        Assert.Null(alpha.Session);
        Assert.Null(alpha.Peer);
        // A failed attempt stays failed: not even the genuine AUTH brings it up now.
        alpha.Receive(bravo.CreateAuth(nonceA, SpecPeer.Info(Bravo.Node, Bravo.Team)));
        Assert.Equal(HandshakeState.Failed, alpha.State);
        Assert.Null(alpha.Session);
        Assert.Null(alpha.Peer);
    }

    [Fact]
    public void Another_team_is_refused_with_the_filter_on()
    {
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1), bravo: Bravo with { Team = "Red" });

        wire.Start(Side.A);
        wire.RunWithRetries(3);

        Assert.Equal(MeshDropReason.Team, wire.A.Failure);
        Assert.Equal(MeshDropReason.Team, wire.B.Failure);
        AssertNeverUp(wire);
    }

    [Fact]
    public void Another_team_comes_up_with_the_filter_off()
    {
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1), bravo: Bravo with { Team = "Red" }, aFilter: false, bFilter: false);

        wire.Start(Side.A);
        wire.Run();

        AssertUp(wire);
        Assert.Equal("Red", wire.A.Peer!.Team);
        Assert.Equal("Cyan", wire.B.Peer!.Team);
    }

    [Fact]
    public void Each_side_applies_its_own_team_filter()
    {
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1), bravo: Bravo with { Team = "Red" }, aFilter: false, bFilter: true);

        wire.Start(Side.A);
        wire.Run();

        Assert.Equal(HandshakeState.Up, wire.A.State);
        Assert.Equal(HandshakeState.Failed, wire.B.State);
        Assert.Equal(MeshDropReason.Team, wire.B.Failure);
        Assert.Null(wire.B.Session);
    }

    [Fact]
    public void Team_names_match_regardless_of_case()
    {
        var wire = Wire(MeshTestKeys.Ring(1), MeshTestKeys.Ring(1), bravo: Bravo with { Team = "cyan" });

        wire.Start(Side.A);
        wire.Run();

        AssertUp(wire);
    }

    [Fact]
    public void Our_own_AUTH_reflected_back_is_rejected_and_the_real_AUTH_still_brings_the_link_up()
    {
        var wire = Wire();
        var fromB = wire.B.Receive(wire.A.CreateHello());
        var authA = Assert.Single(wire.A.Receive(fromB[0]));
        Assert.Equal(SealedFrame.Auth, authA[0]);

        // Sealed under A's send key, so it does not open under A's receive key: each direction has its own.
        for (var i = 0; i < 3; i++) wire.A.Receive(authA);

        AssertStillPendingAfterRejectedAuths(wire.A, rejected: 3);
        wire.A.Receive(fromB[1]);
        Assert.Equal(HandshakeState.Up, wire.A.State);
        Assert.Equal(Bravo, wire.A.Peer);
        Assert.Equal(3, wire.A.RejectedAuths);
    }

    [Fact]
    public void Our_own_HELLO_and_AUTH_reflected_back_never_come_up()
    {
        var alone = new LinkHandshake(MeshTestKeys.Ring(1), Alpha);
        var hello = alone.CreateHello();

        var replies = alone.Receive(hello);
        var auth = Assert.Single(replies, r => r[0] == SealedFrame.Auth);
        for (var round = 0; round < 3; round++)
        {
            foreach (var reply in replies)
            {
                alone.Receive(reply);
                Assert.NotEqual(HandshakeState.Up, alone.State);
            }
        }

        AssertStillPendingAfterRejectedAuths(alone, rejected: 3);
        Assert.Equal(SealedFrame.Auth, auth[0]);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    [InlineData("both")]
    public void Forged_AUTHs_ahead_of_the_real_ones_do_not_stop_an_honest_handshake(string start)
    {
        // Someone in range sees the HELLOs and races each real AUTH with forgeries: random bytes under the AUTH
        // type, the right key id and counter 0, and a copy of the real AUTH with one bit flipped.
        var wire = Wire();
        var random = new Random(31);
        var keyId = MeshTestKeys.Ring(1).Current.KeyId;
        var injected = new Dictionary<Side, int> { [Side.A] = 0, [Side.B] = 0 };
        wire.Inject = (to, frame) =>
        {
            if (frame[0] != SealedFrame.Auth || wire.Of(to).State != HandshakeState.Pending) return [];
            var tampered = (byte[])frame.Clone();
            tampered[random.Next(SealedFrame.LinkHeaderSize, tampered.Length)] ^= (byte)(1 << random.Next(8));
            byte[][] forged = [ForgedAuth(random, keyId, frame.Length), ForgedAuth(random, keyId, random.Next(LinkSession.Overhead, 200)), tampered];
            injected[to] += forged.Length;
            return forged;
        };

        if (start != "B") wire.Start(Side.A);
        if (start != "A") wire.Start(Side.B);
        wire.Run();

        AssertUp(wire);
        Assert.Equal(Bravo, wire.A.Peer);
        Assert.Equal(Alpha, wire.B.Peer);
        // Each side saw forgeries before its real AUTH, and ignored every one of them.
        Assert.True(injected[Side.A] > 0);
        Assert.True(injected[Side.B] > 0);
        Assert.Equal(injected[Side.A], wire.A.RejectedAuths);
        Assert.Equal(injected[Side.B], wire.B.RejectedAuths);
    }

    private static byte[] ForgedAuth(Random random, ushort keyId, int length)
    {
        var frame = MeshTestKeys.RandomBytes(random, length);
        frame[0] = SealedFrame.Auth;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), keyId);
        frame.AsSpan(3, 8).Clear();
        return frame;
    }

    [Fact]
    public void A_replayed_old_session_cannot_bring_a_new_handshake_up()
    {
        var old = Wire();
        old.Start(Side.A);
        old.Run();
        Assert.True(old.BothUp);
        var recordedFromB = old.SentBy(Side.B, SealedFrame.Hello).Concat(old.SentBy(Side.B, SealedFrame.Auth)).ToArray();
        var recordedFromA = old.SentBy(Side.A, SealedFrame.Hello).Concat(old.SentBy(Side.A, SealedFrame.Auth)).ToArray();

        // The same two devices, started again: fresh nonces. An attacker plays back what each side sent last time.
        var newA = new LinkHandshake(MeshTestKeys.Ring(1), Alpha);
        var newB = new LinkHandshake(MeshTestKeys.Ring(1), Bravo);
        newA.CreateHello();
        foreach (var (target, recorded) in new[] { (newA, recordedFromB), (newB, recordedFromA) })
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var frame in recorded.Concat(Enumerable.Reverse(recorded)))
                {
                    target.Receive(frame);
                    Assert.NotEqual(HandshakeState.Up, target.State);
                    Assert.Null(target.Session);
                    Assert.Null(target.Peer);
                }
            }

            // The recorded HELLO comes first, so every replayed AUTH met a session of the new nonces, and none opened.
            var auths = recorded.Count(f => f[0] == SealedFrame.Auth);
            Assert.True(auths > 0);
            AssertStillPendingAfterRejectedAuths(target, rejected: 3 * 2 * auths);
        }
    }

    [Fact]
    public void A_replayed_HELLO_alone_never_brings_a_handshake_up()
    {
        var old = Wire();
        old.Start(Side.A);
        old.Run();
        var oldHello = old.SentBy(Side.B, SealedFrame.Hello).First();
        var fresh = new LinkHandshake(MeshTestKeys.Ring(1), Alpha);

        for (var i = 0; i < 10; i++)
        {
            var replies = fresh.Receive(oldHello);
            Assert.Contains(replies, r => r[0] == SealedFrame.Auth);
        }

        // It can only wait for an AUTH that never comes, until the link stage's timeout drops it.
        Assert.Equal(HandshakeState.Pending, fresh.State);
        Assert.Null(fresh.Session);
        Assert.Null(fresh.Peer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_lost_frame_is_healed_by_resending_the_HELLO(int lostFrame)
    {
        var wire = Wire();
        var transmitted = 0;
        wire.Lose = (_, _) => transmitted++ == lostFrame;

        wire.Start(Side.A);
        var rounds = wire.RunWithRetries(3);

        Assert.InRange(rounds, 1, 3);
        AssertUp(wire);
        // The peer answers every retry with the same AUTH, byte for byte (same key, counter 0, same plaintext).
        Assert.Single(wire.SentBy(Side.A, SealedFrame.Auth).Select(Convert.ToHexString).Distinct());
        Assert.Single(wire.SentBy(Side.B, SealedFrame.Auth).Select(Convert.ToHexString).Distinct());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Half_the_frames_lost_at_random_still_comes_up_with_retries(int seed)
    {
        var wire = Wire();
        var random = new Random(seed);
        wire.Lose = (_, _) => random.Next(2) == 0;

        wire.Start(Side.A);
        wire.Start(Side.B);

        Assert.NotEqual(-1, wire.RunWithRetries(40));
        AssertUp(wire);
    }

    public static TheoryData<int, int?, int, int?, int> Rotations => new()
    {
        // A's ring (current, previous), B's ring, the key both settle on.
        { 2, 1, 1, null, 1 },
        { 1, null, 2, 1, 1 },
        { 2, 1, 2, 1, 2 },
        { 2, 1, 2, null, 2 },
        { 2, 1, 3, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Rotations))]
    public void Both_come_up_on_a_common_key_during_a_rotation(int aCurrent, int? aPrevious, int bCurrent, int? bPrevious, int agreed)
    {
        foreach (var start in new[] { "A", "B", "both" })
        {
            var wire = Wire(MeshTestKeys.Ring(aCurrent, aPrevious), MeshTestKeys.Ring(bCurrent, bPrevious));

            if (start != "B") wire.Start(Side.A);
            if (start != "A") wire.Start(Side.B);
            wire.Run();

            AssertUp(wire);
            var keyId = MeshTestKeys.KeySet(agreed).KeyId;
            Assert.Equal(keyId, wire.A.Session!.KeyId);
            Assert.Equal(keyId, wire.B.Session!.KeyId);
            Assert.All(wire.Sent.Where(s => s.Frame[0] == SealedFrame.Auth), s => Assert.Equal(keyId, SealedFrame.KeyIdOf(s.Frame)));
        }
    }

    [Fact]
    public void No_common_key_never_comes_up()
    {
        var wire = Wire(MeshTestKeys.Ring(3), MeshTestKeys.Ring(1, 2));

        wire.Start(Side.A);
        wire.Start(Side.B);
        Assert.Equal(-1, wire.RunWithRetries(3));

        AssertNeverUp(wire);
        AssertStillPendingAfterRejectedAuths(wire.A);
        AssertStillPendingAfterRejectedAuths(wire.B);
    }

    [Fact]
    public void A_HELLO_with_an_unknown_key_id_is_answered_under_our_current_key()
    {
        var ring = MeshTestKeys.Ring(1, 2);
        var unknown = (ushort)(ring.Current.KeyId ^ 0x5A5A);
        Assert.Null(ring.Find(unknown));
        var handshake = new LinkHandshake(ring, Bravo);
        var hello = new byte[SealedFrame.HelloSize];
        hello[0] = SealedFrame.Hello;
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(1), unknown);
        new Random(3).NextBytes(hello.AsSpan(3, 16));

        var replies = handshake.Receive(hello);

        Assert.Equal([SealedFrame.Hello, SealedFrame.Auth], replies.Select(r => r[0]).ToArray());
        Assert.All(replies, r => Assert.Equal(ring.Current.KeyId, SealedFrame.KeyIdOf(r)));
        Assert.Equal(HandshakeState.Pending, handshake.State);
    }

    [Fact]
    public void Random_junk_never_throws_nor_brings_a_handshake_up()
    {
        var ring = MeshTestKeys.Ring(1);
        var random = new Random(99);
        var handshake = new LinkHandshake(ring, Alpha);
        handshake.CreateHello();

        for (var i = 0; i < 20_000; i++)
        {
            handshake.Receive(Junk(random, ring.Current.KeyId));

            // Junk cannot decrypt, so it can neither bring the attempt up nor end it.
            Assert.Equal(HandshakeState.Pending, handshake.State);
            Assert.Null(handshake.Failure);
            Assert.Null(handshake.Session);
            Assert.Null(handshake.Peer);
        }

        Assert.True(handshake.RejectedAuths > 100, $"the junk should have reached AUTH decryption ({handshake.RejectedAuths} times)");
    }

    [Fact]
    public void Random_junk_at_an_up_link_never_throws()
    {
        var ring = MeshTestKeys.Ring(1);
        var random = new Random(98);
        var wire = Wire();
        wire.Start(Side.A);
        wire.Run();

        for (var i = 0; i < 5_000; i++)
        {
            wire.A.Receive(Junk(random, ring.Current.KeyId));
            wire.B.Receive(Junk(random, ring.Current.KeyId));
        }
    }

    internal static byte[] Junk(Random random, ushort keyId)
    {
        var frame = random.Next(5) switch
        {
            0 => MeshTestKeys.RandomBytes(random, SealedFrame.HelloSize),
            1 => MeshTestKeys.RandomBytes(random, random.Next(SealedFrame.LinkHeaderSize + SealedFrame.TagSize, 200)),
            2 => MeshTestKeys.RandomBytes(random, random.Next(0, 40)),
            _ => MeshTestKeys.RandomBytes(random, random.Next(0, 600)),
        };
        if (frame.Length > 0 && random.Next(4) > 0) frame[0] = (byte)random.Next(SealedFrame.Hello, SealedFrame.Beacon + 1);
        if (frame.Length >= 3 && random.Next(4) > 0) BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), keyId);
        if (frame.Length >= 11 && frame[0] == SealedFrame.Auth && random.Next(2) == 0) frame.AsSpan(3, 8).Clear();
        return frame;
    }

    [Fact]
    public void A_restarted_peer_brings_the_link_up_again_while_the_old_keys_keep_working()
    {
        var wire = Wire();
        wire.Start(Side.A);
        wire.Run();
        var oldA = wire.A.Session!;
        var oldB = wire.B.Session!;

        var restartedB = new LinkHandshake(MeshTestKeys.Ring(1), Bravo);
        var again = new HandshakeWire(wire.A, restartedB);
        foreach (var reply in wire.A.Receive(restartedB.CreateHello())) again.Send(Side.A, reply);

        Assert.Equal(HandshakeState.Pending, wire.A.State);
        Assert.Null(wire.A.Session);
        AssertInteroperate(oldA, oldB);

        again.Run();

        Assert.True(again.BothUp);
        Assert.NotSame(oldA, wire.A.Session);
        AssertInteroperate(wire.A.Session!, restartedB.Session!);
        Assert.Equal(Bravo, wire.A.Peer);
    }

    [Fact]
    public void A_forged_HELLO_on_an_up_link_never_makes_a_side_repeat_a_counter()
    {
        // A foreign HELLO restarts A's handshake; the real neighbour's answer brings it back to the same nonces
        // and key. A fresh session would seal from counter 1 again under the same key: repeated GCM nonces.
        var wire = Wire();
        wire.Start(Side.A);
        wire.Run();
        var sessionA = wire.A.Session!;
        var sessionB = wire.B.Session!;
        var counters = new List<ulong>();
        void SendData(LinkSession from)
        {
            var frame = from.Seal([1, 2, 3]);
            counters.Add(BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(3)));
            Assert.True(sessionB.TryOpen(frame, out _, out var reason), $"B refused A's frame: {reason}");
        }

        for (var i = 0; i < 3; i++) SendData(sessionA);
        var forged = MeshTestKeys.RandomBytes(new Random(4), SealedFrame.HelloSize);
        forged[0] = SealedFrame.Hello;
        foreach (var reply in wire.A.Receive(forged)) wire.Send(Side.A, reply);
        Assert.Equal(HandshakeState.Pending, wire.A.State);
        SendData(sessionA);

        wire.Run();

        Assert.True(wire.BothUp);
        Assert.Same(sessionB, wire.B.Session);
        for (var i = 0; i < 3; i++) SendData(wire.A.Session!);
        Assert.Equal(counters.Count, counters.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (ulong)i), counters);
    }
}
