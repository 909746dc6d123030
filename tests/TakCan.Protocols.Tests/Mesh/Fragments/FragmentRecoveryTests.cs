using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Protocols.Tests.Mesh.Fragments;

/// <summary>
/// Sender (Fragmenter, RetransmitBuffer) and receiver (Reassembler) across a lossy point-to-point link, on simulated
/// time: the receiver NACKs quiet gaps, the sender answers, until the message is whole.
/// </summary>
public class FragmentRecoveryTests
{
    private const int Mtu = 480;
    private const uint MessageId = 0x00_4242;

    [Theory]
    [InlineData(1, 0.10)]
    [InlineData(2, 0.10)]
    [InlineData(3, 0.10)]
    [InlineData(4, 0.10)]
    [InlineData(5, 0.10)]
    [InlineData(6, 0.30)]
    public void A_20_KiB_message_arrives_byte_identical_through_random_loss(int seed, double loss)
    {
        var random = new Random(seed);
        var message = MeshTestKeys.RandomBytes(random, 20 * 1024);
        var fragments = Fragmenter.Split(message, MessageId, Mtu);
        var sender = new RetransmitBuffer();
        var receiver = new Reassembler();
        var now = TimeSpan.Zero;
        byte[]? delivered = null;
        int lost = 0, nacks = 0, resent = 0;

        bool Survives()
        {
            if (random.NextDouble() >= loss) return true;
            lost++;
            return false;
        }

        void ToReceiver(byte[] fragment)
        {
            if (!Survives()) return;
            Assert.True(FragmentHeader.TryRead(fragment, out var header));
            var outcome = receiver.Accept(header, fragment.AsSpan(FragmentHeader.Size), now, out var whole, out var drop);
            Assert.True(outcome != ReassemblyOutcome.Dropped, $"fragment {header.Index} dropped: {drop}");
            if (outcome == ReassemblyOutcome.Complete)
            {
                Assert.Null(delivered);
                delivered = whole;
            }
        }

        sender.Remember(MessageId, fragments, now);
        foreach (var fragment in fragments) ToReceiver(fragment);
        Assert.True(lost > 0, "the first pass should lose some fragments");

        var timeout = ReassemblyLimits.Default.Timeout;
        while (delivered is null && now < timeout)
        {
            now += TimeSpan.FromMilliseconds(5);
            foreach (var nack in receiver.DueNacks(now))
            {
                nacks++;
                if (!Survives()) continue;
                Assert.True(FragmentHeader.TryRead(nack, out var header));
                foreach (var fragment in sender.Answer(header, nack, now))
                {
                    resent++;
                    ToReceiver(fragment);
                }
            }

            receiver.Expire(now);
        }

        Assert.NotNull(delivered);
        Assert.Equal(message, delivered);
        Assert.True(now < timeout, $"took {now}");
        Assert.True(nacks > 0 && resent > 0);
        Assert.Equal(0, receiver.BufferedBytes);
        Assert.Empty(receiver.DueNacks(now + TimeSpan.FromSeconds(1)));
    }
}
