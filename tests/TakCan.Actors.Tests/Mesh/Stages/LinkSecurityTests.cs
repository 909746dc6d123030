using System.Security.Cryptography;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Tests.Mesh.Stages;

public class LinkSecurityTests : TestKit
{
    private static readonly TimeSpan HelloInterval = TimeSpan.FromMilliseconds(100);

    // Where a test is not about the timeout, it must not fire even when a loaded test machine stalls for seconds.
    private static readonly TimeSpan SlowTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
    private readonly MeshCounters _countersA = new();
    private readonly MeshCounters _countersB = new();
    private readonly MeshPeerInfo _a = new(NodeId.NewRandom(), "Cyan");
    private readonly MeshPeerInfo _b = new(NodeId.NewRandom(), "Cyan");
    private readonly Wire _wire = new();

    [Fact]
    public void Nothing_from_the_device_crosses_before_the_handshake_and_then_data_flows_both_ways()
    {
        _wire.BToA = _ => null; // A never hears B: neither side can come up
        var authenticatedA = CreateTestProbe();
        var authenticatedB = CreateTestProbe();
        var ends = Run(Layer(_keys, _a, _countersA, authenticatedA), Layer(_keys, _b, _countersB, authenticatedB));
        ends.AOut.Request(10);
        ends.BOut.Request(10);
        ends.AIn.SendNext([1, 2, 3]);
        ends.BIn.SendNext([4, 5]);
        // An outsider's "data" frame before the handshake: nothing may come of it either.
        _wire.InjectTowardsB([SealedFrame.LinkData, .. new byte[40]]);

        AwaitAssert(() => Assert.Equal(1, _countersB.Drops(MeshDropReason.Auth)), Patience);
        ends.BOut.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        ends.AOut.ExpectNoMsg(TimeSpan.Zero);
        authenticatedA.ExpectNoMsg(TimeSpan.Zero);
        authenticatedB.ExpectNoMsg(TimeSpan.Zero);
        AwaitAssert(() => Assert.True(_wire.SentByA.Count(f => f[0] == SealedFrame.Hello) >= 2, "A retries its HELLO while waiting"), Patience);
        Assert.All(_wire.SentByA.Concat(_wire.SentByB), frame => Assert.Contains(frame[0], new[] { SealedFrame.Hello, SealedFrame.Auth }));

        _wire.BToA = frame => frame; // the link heals; the next HELLO retry finishes the handshake

        Assert.Equal(_b, authenticatedA.ExpectMsg<MeshPeerInfo>(Patience));
        Assert.Equal(_a, authenticatedB.ExpectMsg<MeshPeerInfo>(Patience));
        Assert.Equal([1, 2, 3], ends.BOut.ExpectNext(Patience));
        Assert.Equal([4, 5], ends.AOut.ExpectNext(Patience));
        Assert.All(_wire.SentByA, f => Assert.True(f.AsSpan().IndexOf(new byte[] { 1, 2, 3 }) < 0, "data crosses encrypted"));
        Assert.Equal(1, _countersA.Snapshot().FramesSent);
    }

    [Fact]
    public void A_frame_changed_in_transit_is_dropped_and_the_following_frames_still_flow()
    {
        var ends = Run(Layer(_keys, _a, _countersA), Layer(_keys, _b, _countersB));
        ends.AIn.SendNext([0]);
        ends.BOut.RequestNext();
        var tampered = 0;
        _wire.AToB = frame =>
        {
            if (frame[0] != SealedFrame.LinkData || Interlocked.Exchange(ref tampered, 1) == 1) return frame;
            var changed = frame.ToArray();
            changed[SealedFrame.LinkHeaderSize] ^= 0x01;
            return changed;
        };

        ends.AIn.SendNext([1]);
        ends.AIn.SendNext([2]);
        ends.AIn.SendNext([3]);

        Assert.Equal([2], ends.BOut.RequestNext());
        Assert.Equal([3], ends.BOut.RequestNext());
        Assert.Equal(1, _countersB.Drops(MeshDropReason.Auth));
        ends.BIn.SendNext([4]);
        Assert.Equal([4], ends.AOut.RequestNext());
    }

    [Fact]
    public void A_handshake_nobody_answers_times_out_and_closes_the_link()
    {
        var settings = new LinkSecuritySettings(_keys, _a) { HelloInterval = HelloInterval, HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        var silence = Flow.FromSinkAndSource(this.SinkProbe<byte[]>(), Source.Never<byte[]>(), Keep.Left);
        var ((device, air), received) = this.SourceProbe<byte[]>()
            .ViaMaterialized(LinkSecurity.Create(settings, _countersA).JoinMat(silence, Keep.Right), Keep.Both)
            .ToMaterialized(this.SinkProbe<byte[]>(), Keep.Both)
            .Run(Sys.Materializer());
        air.Request(100);
        Assert.Equal(SealedFrame.Hello, air.ExpectNext()[0]);
        Assert.Equal(SealedFrame.Hello, air.ExpectNext()[0]); // retried while waiting

        var error = received.Within(Patience, () => received.ExpectSubscriptionAndError());

        Assert.Equal(MeshDropReason.HandshakeTimeout, Assert.IsType<MeshLinkClosedException>(error).Reason);
        Assert.Equal(1, _countersA.Drops(MeshDropReason.HandshakeTimeout));
        device.ExpectCancellation();
    }

    [Fact]
    public void A_neighbour_with_another_mission_key_closes_the_link_on_both_sides()
    {
        var otherKeys = new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
        var authenticated = CreateTestProbe();
        var quick = TimeSpan.FromMilliseconds(500);
        var ends = Run(Layer(_keys, _a, _countersA, authenticated, quick), Layer(otherKeys, _b, _countersB, authenticated, quick));

        var atA = ends.AOut.Within(Patience, () => ends.AOut.ExpectSubscriptionAndError());
        var atB = ends.BOut.Within(Patience, () => ends.BOut.ExpectSubscriptionAndError());

        Assert.Equal(MeshDropReason.HandshakeAuth, Assert.IsType<MeshLinkClosedException>(atA).Reason);
        Assert.Equal(MeshDropReason.HandshakeAuth, Assert.IsType<MeshLinkClosedException>(atB).Reason);
        Assert.Equal(1, _countersA.Drops(MeshDropReason.HandshakeAuth));
        Assert.Equal(1, _countersB.Drops(MeshDropReason.HandshakeAuth));
        authenticated.ExpectNoMsg(TimeSpan.Zero);
        Assert.DoesNotContain(_wire.SentByA.Concat(_wire.SentByB), frame => frame[0] == SealedFrame.LinkData);
    }

    [Fact]
    public void A_neighbour_of_another_team_is_refused()
    {
        var ends = Run(Layer(_keys, _a, _countersA), Layer(_keys, _b with { Team = "Red" }, _countersB));

        var atA = ends.AOut.Within(Patience, () => ends.AOut.ExpectSubscriptionAndError());
        var atB = ends.BOut.Within(Patience, () => ends.BOut.ExpectSubscriptionAndError());

        Assert.Equal(MeshDropReason.Team, Assert.IsType<MeshLinkClosedException>(atA).Reason);
        Assert.Equal(MeshDropReason.Team, Assert.IsType<MeshLinkClosedException>(atB).Reason);
        Assert.Equal(1, _countersA.Drops(MeshDropReason.Team));
        Assert.Equal(1, _countersB.Drops(MeshDropReason.Team));
        // The team is only ever sent inside the encryption.
        Assert.All(_wire.SentByA.Concat(_wire.SentByB), frame => Assert.True(frame.AsSpan().IndexOf("Red"u8) < 0 && frame.AsSpan().IndexOf("Cyan"u8) < 0));
    }

    [Fact]
    public void A_spoofed_hello_and_a_forged_auth_on_an_up_link_do_not_take_it_down()
    {
        var authenticatedA = CreateTestProbe();
        var authenticatedB = CreateTestProbe();
        var ends = Run(Layer(_keys, _a, _countersA, authenticatedA), Layer(_keys, _b, _countersB, authenticatedB));
        ends.AOut.Request(10);
        ends.AIn.SendNext([1]);
        Assert.Equal([1], ends.BOut.RequestNext());
        authenticatedA.ExpectMsg<MeshPeerInfo>();
        authenticatedB.ExpectMsg<MeshPeerInfo>();

        // An outsider in range, without the key: a HELLO with a nonce of its own, then an AUTH it cannot make right.
        var keyId = new[] { (byte)(_keys.Current.KeyId >> 8), (byte)_keys.Current.KeyId };
        var spoofedNonce = RandomNumberGenerator.GetBytes(SealedFrame.NonceSize);
        _wire.InjectTowardsA([SealedFrame.Hello, .. keyId, .. spoofedNonce, .. new byte[SealedFrame.NonceSize]]);
        _wire.InjectTowardsA([SealedFrame.Auth, .. keyId, .. new byte[8], .. RandomNumberGenerator.GetBytes(80)]);

        // A takes the HELLO for a restarted neighbour and answers it; its answer reaches B, and the two
        // re-authenticate with each other. (Data sent during that switch may be lost, so the test waits for it.)
        Assert.Equal(_b, authenticatedA.ExpectMsg<MeshPeerInfo>(Patience));
        Assert.Equal(_a, authenticatedB.ExpectMsg<MeshPeerInfo>(Patience));
        Assert.Contains(_wire.SentByA, f => f[0] == SealedFrame.Hello && f.AsSpan(3 + SealedFrame.NonceSize).SequenceEqual(spoofedNonce));
        ends.BOut.Request(10);
        for (byte i = 2; i < 6; i++)
        {
            ends.AIn.SendNext([i]);
            ends.BIn.SendNext([(byte)(i + 100)]);
            Assert.Equal([i], ends.BOut.ExpectNext(Patience));
            Assert.Equal([(byte)(i + 100)], ends.AOut.ExpectNext(Patience));
        }
    }

    private FaceToFace.Ends<byte[]> Run(BidiFlow<byte[], byte[], byte[], byte[], NotUsed> a, BidiFlow<byte[], byte[], byte[], byte[], NotUsed> b) =>
        FaceToFace.Run(this, a, _wire, b);

    [Fact]
    public void A_quiet_link_stays_up_on_keepalives_that_never_reach_the_device()
    {
        var ends = Run(Layer(_keys, _a, _countersA, liveness: Liveness), Layer(_keys, _b, _countersB, liveness: Liveness));
        ends.AIn.SendNext([1]);
        Assert.Equal([1], ends.BOut.RequestNext(Patience));
        var afterData = _wire.SentByB.Count;

        // Silence from both devices for well over a link timeout: only keepalives cross, both ways.
        AwaitAssert(() => Assert.True(_wire.SentByB.Count - afterData >= 8, $"B sent {_wire.SentByB.Count - afterData} keepalives"), Patience);
        Assert.True(_wire.SentByA.Count(f => f[0] == SealedFrame.LinkData) >= 8);

        Assert.Equal(0, _countersA.Drops(MeshDropReason.LinkTimeout) + _countersB.Drops(MeshDropReason.LinkTimeout));
        ends.BIn.SendNext([2]);
        Assert.Equal([2], ends.AOut.RequestNext(Patience));
        ends.BOut.Request(1);
        ends.BOut.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no keepalive came up as an empty envelope
    }

    [Fact]
    public void A_neighbour_that_falls_silent_is_timed_out_and_the_link_closed()
    {
        var ends = Run(Layer(_keys, _a, _countersA, liveness: Liveness), Layer(_keys, _b, _countersB, liveness: Liveness));
        ends.AIn.SendNext([1]);
        Assert.Equal([1], ends.BOut.RequestNext(Patience));

        _wire.BToA = _ => null; // B died (or walked out of range): A hears nothing more

        var error = ends.AOut.ExpectSubscriptionAndError();
        Assert.Equal(MeshDropReason.LinkTimeout, Assert.IsType<MeshLinkClosedException>(error).Reason);
        Assert.Equal(1, _countersA.Drops(MeshDropReason.LinkTimeout));
    }

    [Fact]
    public void A_flood_of_replayed_hellos_is_answered_only_a_few_times_and_the_link_keeps_working()
    {
        var ends = Run(Layer(_keys, _a, _countersA), Layer(_keys, _b, _countersB));
        ends.AIn.SendNext([1]);
        Assert.Equal([1], ends.BOut.RequestNext(Patience));
        var hello = _wire.SentByA.First(f => f[0] == SealedFrame.Hello);
        var answeredBefore = _wire.SentByB.Count;
        var dropsBefore = _countersB.Drops(MeshDropReason.Auth);

        for (var i = 0; i < 200; i++) _wire.InjectTowardsB(hello);

        AwaitAssert(() => Assert.True(_countersB.Drops(MeshDropReason.Auth) - dropsBefore >= 180), Patience);
        // Each answered HELLO costs at most two replies (our HELLO and AUTH); a burst of 8 and 4 a second may pass.
        Assert.True(_wire.SentByB.Count - answeredBefore <= 2 * 16, $"B answered with {_wire.SentByB.Count - answeredBefore} frames");
        ends.BIn.SendNext([2]);
        Assert.Equal([2], ends.AOut.RequestNext(Patience));
    }

    private static readonly (TimeSpan Keepalive, TimeSpan Timeout) Liveness = (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(600));

    private static BidiFlow<byte[], byte[], byte[], byte[], NotUsed> Layer(MeshKeyRing keys, MeshPeerInfo self,
        MeshCounters counters, TestProbe? authenticated = null, TimeSpan? handshakeTimeout = null, (TimeSpan Keepalive, TimeSpan Timeout)? liveness = null) =>
        LinkSecurity.Create(new LinkSecuritySettings(keys, self)
            {
                HelloInterval = HelloInterval,
                HandshakeTimeout = handshakeTimeout ?? SlowTimeout,
                KeepaliveInterval = liveness?.Keepalive ?? SlowTimeout,
                LinkTimeout = liveness?.Timeout ?? SlowTimeout * 3,
            },
            counters,
            authenticated is null ? null : peer => authenticated.Ref.Tell(peer, ActorRefs.NoSender));
}
