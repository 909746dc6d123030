using System.Security.Cryptography;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Actors.Tests.Mesh.Stages;

public class FragmentationTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // Quick to ask for missing fragments, slow to give up on a message: on a loaded two-core test machine timers
    // can stall for a second or more, and a partial must not expire before its NACK was answered.
    private static readonly FragmentationSettings Ble = new(FragmentationSettings.BleMtu)
    {
        Limits = new ReassemblyLimits { Timeout = Patience, NackDelay = TimeSpan.FromMilliseconds(20) },
        Tick = TimeSpan.FromMilliseconds(10),
    };

    private readonly MeshCounters _countersA = new();
    private readonly MeshCounters _countersB = new();
    private readonly Wire _wire = new();

    [Fact]
    public void A_20_KiB_message_crosses_a_480_byte_link_whole()
    {
        var ends = Run(Ble);
        var message = RandomNumberGenerator.GetBytes(20 * 1024);

        ends.AIn.SendNext(message);

        Assert.Equal(message, ends.BOut.RequestNext());
        var count = (int)Math.Ceiling(message.Length / (double)(FragmentationSettings.BleMtu - FragmentHeader.Size));
        var fragments = _wire.SentByA.Take(count).ToArray();
        Assert.Equal(Enumerable.Range(0, count), fragments.Select(f => (int)f[4]));
        Assert.All(fragments, f => Assert.Equal(count, f[5]));
        Assert.All(_wire.SentByA, frame => Assert.True(frame.Length <= FragmentationSettings.BleMtu));
    }

    [Fact]
    public void Messages_complete_both_ways_over_a_link_that_loses_every_7th_frame()
    {
        var ends = Run(Ble);
        _wire.AToB = Wire.LoseEvery(7);
        _wire.BToA = Wire.LoseEvery(7);
        var fromA = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(20 * 1024)).ToArray();
        var fromB = Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(20 * 1024)).ToArray();

        // Both devices take what arrives: a layer holding an undelivered message reads nothing more from below,
        // NACKs included, so a device that stopped reading would also stall its own sending.
        ends.AOut.Request(fromB.Length);
        ends.BOut.Request(fromA.Length);
        foreach (var message in fromA) ends.AIn.SendNext(message);
        foreach (var message in fromB) ends.BIn.SendNext(message);

        // Losses are made up by retransmission, so arrival order may differ from sending order.
        var atB = Enumerable.Range(0, 3).Select(_ => ends.BOut.ExpectNext(Patience)).ToArray();
        var atA = Enumerable.Range(0, 3).Select(_ => ends.AOut.ExpectNext(Patience)).ToArray();
        Assert.Equal(Sorted(fromA), Sorted(atB));
        Assert.Equal(Sorted(fromB), Sorted(atA));
        Assert.Contains(_wire.SentByB, frame => frame[0] == FragmentHeader.NackKind);
        Assert.Contains(_wire.SentByA, frame => frame[0] == FragmentHeader.NackKind);
        Assert.Equal(0, _countersA.Drops(MeshDropReason.ReassemblyTimeout) + _countersB.Drops(MeshDropReason.ReassemblyTimeout));
    }

    [Fact]
    public void Junk_fragments_are_counted_and_do_not_stop_the_stream()
    {
        var ends = Run(Ble);
        byte[][] junk =
        [
            [],
            [FragmentHeader.DataKind, 0, 0, 1, 0],                  // shorter than the header
            [FragmentHeader.DataKind, 0, 0, 1, 0, 1],               // header only, no payload
            [FragmentHeader.DataKind, 0, 0, 1, 5, 3, 0xAA],         // index 5 of 3
            [FragmentHeader.DataKind, 0, 0, 1, 0, 0, 0xAA],         // count 0
            [0x07, 0, 0, 1, 0, 1, 0xAA],                            // unknown kind
            [FragmentHeader.NackKind, 0, 0, 1, 0, 9, 0xFF],         // NACK whose bitmap does not fit its count
        ];
        foreach (var frame in junk) _wire.InjectTowardsB(frame);
        ends.BOut.Request(1);
        AwaitAssert(() => Assert.Equal(junk.Length, _countersB.Drops(MeshDropReason.FragmentInvalid)), Patience);

        var message = RandomNumberGenerator.GetBytes(2_000);
        ends.AIn.SendNext(message);

        Assert.Equal(message, ends.BOut.ExpectNext());
    }

    [Fact]
    public void A_partial_message_expires_after_the_reassembly_timeout()
    {
        var ends = Run(Ble with { Limits = Ble.Limits with { Timeout = TimeSpan.FromMilliseconds(300) } });
        // One fragment of three from nobody: B asks for the rest, nobody has them, and the partial is dropped.
        _wire.InjectTowardsB([FragmentHeader.DataKind, 0xAB, 0xCD, 0xEF, 0, 3, .. new byte[100]]);

        AwaitAssert(() => Assert.Equal(1, _countersB.Drops(MeshDropReason.ReassemblyTimeout)), Patience);
        Assert.Contains(_wire.SentByB, frame => frame[0] == FragmentHeader.NackKind && frame[1] == 0xAB && frame[2] == 0xCD && frame[3] == 0xEF);

        var message = RandomNumberGenerator.GetBytes(5_000);
        ends.AIn.SendNext(message);
        Assert.Equal(message, ends.BOut.RequestNext());
    }

    [Fact]
    public void Partial_messages_beyond_the_limit_evict_the_oldest()
    {
        var ends = Run(Ble);
        var limit = Ble.Limits.MaxPartialMessages;
        for (var id = 0; id <= limit; id++) _wire.InjectTowardsB([FragmentHeader.DataKind, 0, 0, (byte)id, 0, 2, .. new byte[10]]);

        AwaitAssert(() => Assert.Equal(1, _countersB.Drops(MeshDropReason.ReassemblyEvicted)), Patience);
    }

    private FaceToFace.Ends<byte[]> Run(FragmentationSettings settings) =>
        FaceToFace.Run(this, Fragmentation.Create(settings, _countersA), _wire, Fragmentation.Create(settings, _countersB));

    private static IEnumerable<string> Sorted(IEnumerable<byte[]> messages) => messages.Select(Convert.ToHexString).Order();
}
