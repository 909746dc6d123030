using System.Security.Cryptography;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Fragments;
using TakCan.Protocols.Mesh.Security;
using Xunit.Abstractions;

namespace TakCan.Actors.Tests.Mesh.Stages;

/// <summary>
/// Anyone in radio range can put bytes on a link. A whole link stack, up with a real neighbour, takes a flood of
/// random and crafted frames on its wire side: every one is counted and dropped, nothing fails, memory stays bounded
/// (reassembly keeps at most 8 partial messages of 64 KiB), and the link still carries messages afterwards.
/// </summary>
public class MeshLinkStackHostileInputTests : TestKit
{
    private const int RandomFrames = 100_000;
    private const int CraftedEvery = 50;
    private const long MemoryAllowance = 16 * 1024 * 1024;
    private const int Mtu = BleProfile.Mtu;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
    private readonly MeshCounters _countersA = new();
    private readonly MeshCounters _countersB = new();
    private readonly ITestOutputHelper _output;

    public MeshLinkStackHostileInputTests(ITestOutputHelper output)
        : base(output: output) => _output = output;

    [Fact]
    public void A_flood_of_junk_on_an_up_link_is_counted_and_dropped_and_the_link_carries_on()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors.Ref, typeof(Error));
        var a = new MeshSettings(_keys, NodeId.NewRandom(), "Cyan");
        var b = new MeshSettings(_keys, NodeId.NewRandom(), "Cyan");
        var authenticatedA = CreateTestProbe();
        var authenticatedB = CreateTestProbe();
        var (linkA, linkB) = InMemoryLink.CreatePair(capacity: 4096);
        var startJunk = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var junk = Source.FromTask(startJunk.Task).SelectMany(Junk).WatchTermination(Keep.Right);

        var ((deviceA, junkDone), receivedA) = this.SourceProbe<MeshEnvelope>()
            .ViaMaterialized(Stack(a, _countersA, authenticatedA).JoinMat(linkA.MergeMaterialized(junk, Keep.Right), Keep.Right), Keep.Both)
            .ToMaterialized(this.SinkProbe<MeshEnvelope>(), Keep.Both)
            .Run(Sys.Materializer());
        var (deviceB, receivedB) = this.SourceProbe<MeshEnvelope>()
            .Via(Stack(b, _countersB, authenticatedB).Join(linkB))
            .ToMaterialized(this.SinkProbe<MeshEnvelope>(), Keep.Both)
            .Run(Sys.Materializer());
        receivedA.Request(long.MaxValue);
        receivedB.Request(long.MaxValue);
        Assert.Equal(b.Node, authenticatedA.ExpectMsg<MeshPeerInfo>(Patience).Node);
        Assert.Equal(a.Node, authenticatedB.ExpectMsg<MeshPeerInfo>(Patience).Node);
        Exchange(deviceA, receivedA, deviceB, receivedB, a, b, 1);
        var before = _countersA.Snapshot();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        startJunk.SetResult(20240611);
        AwaitCondition(() => junkDone.IsCompleted, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
        Assert.True(junkDone.IsCompletedSuccessfully);
        AwaitQuiet();

        Exchange(deviceA, receivedA, deviceB, receivedB, a, b, 2);
        var after = _countersA.Snapshot();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var dropped = Enum.GetValues<MeshDropReason>().Sum(r => after.Drops[r] - before.Drops[r]);
        _output.WriteLine($"A dropped: {string.Join(", ", after.Drops.Where(d => d.Value > 0).Select(d => $"{d.Key} {d.Value}"))}; " +
                          $"memory {(memoryAfter - memoryBefore) / 1024:+#;-#;0} KiB; re-authenticated {authenticatedA.ReceiveWhile(TimeSpan.FromMilliseconds(10), o => o).Count}");
        Assert.True(dropped >= RandomFrames, $"every junk frame is a counted drop, or part of one; counted {dropped}");
        Assert.True(after.Drops[MeshDropReason.FragmentInvalid] > before.Drops[MeshDropReason.FragmentInvalid]);
        Assert.True(after.Drops[MeshDropReason.ReassemblyTooLarge] > before.Drops[MeshDropReason.ReassemblyTooLarge]);
        Assert.True(after.Drops[MeshDropReason.ReassemblyEvicted] > before.Drops[MeshDropReason.ReassemblyEvicted]);
        Assert.True(after.Drops[MeshDropReason.Auth] > before.Drops[MeshDropReason.Auth]);
        Assert.True(memoryAfter - memoryBefore < MemoryAllowance,
            $"memory grew by {(memoryAfter - memoryBefore) / 1024} KiB over the flood");
        errors.ExpectNoMsg(TimeSpan.Zero);
    }

    private static BidiFlow<MeshEnvelope, byte[], byte[], MeshEnvelope, NotUsed> Stack(MeshSettings settings, MeshCounters counters,
        TestProbe authenticated) =>
        MeshLinkStack.Create(settings, MeshMedium.PointToPoint, Mtu, counters,
            peer => authenticated.Ref.Tell(peer, ActorRefs.NoSender));

    /// <summary>A message each way, each a fragmented one, must cross.</summary>
    private static void Exchange(TestPublisher.Probe<MeshEnvelope> deviceA, TestSubscriber.Probe<MeshEnvelope> receivedA,
        TestPublisher.Probe<MeshEnvelope> deviceB, TestSubscriber.Probe<MeshEnvelope> receivedB, MeshSettings a, MeshSettings b, uint sequence)
    {
        var fromA = new MeshEnvelope(MeshMessageKind.Cot, a.Node, sequence, 3, 0, RandomNumberGenerator.GetBytes(3_000));
        var fromB = new MeshEnvelope(MeshMessageKind.Cot, b.Node, sequence, 3, 0, RandomNumberGenerator.GetBytes(1_000));
        deviceA.SendNext(fromA);
        deviceB.SendNext(fromB);
        Assert.Equal(fromA, receivedB.ExpectNext(Patience));
        Assert.Equal(fromB, receivedA.ExpectNext(Patience));
    }

    /// <summary>
    /// Waits until neither side has counted anything for a while: spoofed HELLOs in the flood set off
    /// re-authentications, whose retries (every second) must be over before a message is sure to cross.
    /// </summary>
    private void AwaitQuiet()
    {
        long? last = null;
        AwaitCondition(() =>
        {
            var now = Activity(_countersA) + Activity(_countersB);
            var quiet = now == last;
            last = now;
            return quiet;
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(1_100));

        static long Activity(MeshCounters counters)
        {
            var snapshot = counters.Snapshot();
            return snapshot.FramesReceived + snapshot.FramesSent + snapshot.Drops.Values.Sum();
        }
    }

    private IEnumerable<byte[]> Junk(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < RandomFrames; i++)
        {
            var frame = new byte[random.Next(0, 601)];
            random.NextBytes(frame);
            yield return frame;
            if (i % CraftedEvery == 0)
                foreach (var crafted in Crafted(random, i / CraftedEvery))
                    yield return crafted;
        }
    }

    /// <summary>Frames made to get past the first checks and reach deeper: fragment bounds, reassembly limits, the seal layer.</summary>
    private IEnumerable<byte[]> Crafted(Random random, int n)
    {
        var id = (uint)random.Next(1 << 24);
        var keyId = new[] { (byte)(_keys.Current.KeyId >> 8), (byte)_keys.Current.KeyId };
        switch (n % 8)
        {
            case 0: // index at or past count
                var count = random.Next(1, 255);
                yield return Fragment(FragmentHeader.DataKind, id, random.Next(count, 256), count, Bytes(random, 1, 400));
                break;
            case 1: // 255 fragments of the largest size: a message far over the limit
                yield return Fragment(FragmentHeader.DataKind, id, random.Next(255), 255, Bytes(random, Mtu - 6, Mtu - 6));
                break;
            case 2: // 255 small fragments: allowed to start, so partial messages pile up until evicted
                yield return Fragment(FragmentHeader.DataKind, id, random.Next(255), 255, Bytes(random, 1, 200));
                yield return Fragment(FragmentHeader.DataKind, id, random.Next(255), 200, Bytes(random, 1, 200)); // same id, other count
                break;
            case 3: // count 0, unknown kind, no payload
                yield return Fragment(FragmentHeader.DataKind, id, 0, 0, Bytes(random, 1, 50));
                yield return Fragment((byte)random.Next(3, 256), id, 0, 1, Bytes(random, 1, 50));
                yield return Fragment(FragmentHeader.DataKind, id, 0, 1, []);
                break;
            case 4: // NACKs for messages never sent, well formed and not
                var nacked = random.Next(1, 256);
                yield return Fragment(FragmentHeader.NackKind, id, 0, nacked, Bytes(random, (nacked + 7) / 8, (nacked + 7) / 8));
                yield return Fragment(FragmentHeader.NackKind, id, 0, nacked, Bytes(random, (nacked + 7) / 8 + 1, 100));
                break;
            case 5: // each sealed frame type, under the right key id, with garbage after it
                var type = (byte)random.Next(SealedFrame.Hello, SealedFrame.Beacon + 1);
                yield return Fragment(FragmentHeader.DataKind, id, 0, 1, [type, .. keyId, .. Bytes(random, 0, 400)]);
                break;
            case 6: // a spoofed HELLO (as from a restarted neighbour), then an AUTH that cannot open
                yield return Fragment(FragmentHeader.DataKind, id, 0, 1, [SealedFrame.Hello, .. keyId, .. Bytes(random, 32, 32)]);
                yield return Fragment(FragmentHeader.DataKind, id + 1, 0, 1, [SealedFrame.Auth, .. keyId, .. new byte[8], .. Bytes(random, 16, 120)]);
                break;
            default: // a garbage LINK DATA frame in three proper fragments, so it reassembles
                byte[] sealedFrame = [SealedFrame.LinkData, .. keyId, .. Bytes(random, 1_200, 1_200)];
                foreach (var fragment in Fragmenter.Split(sealedFrame, id, Mtu)) yield return fragment;
                break;
        }
    }

    private static byte[] Fragment(byte kind, uint id, int index, int count, byte[] payload)
    {
        var frame = new byte[FragmentHeader.Size + payload.Length];
        new FragmentHeader(kind, id & FragmentHeader.MessageIdMask, (byte)index, (byte)count).Write(frame);
        payload.CopyTo(frame, FragmentHeader.Size);
        return frame;
    }

    private static byte[] Bytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }
}
