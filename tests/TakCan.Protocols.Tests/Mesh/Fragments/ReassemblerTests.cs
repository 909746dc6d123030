using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Protocols.Tests.Mesh.Fragments;

public class ReassemblerTests
{
    private const int Mtu = 480;
    private const int Room = Mtu - FragmentHeader.Size;
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    private static ReassemblyOutcome Feed(Reassembler reassembler, byte[] fragment, TimeSpan now, out byte[]? message, out MeshDropReason drop)
    {
        Assert.True(FragmentHeader.TryRead(fragment, out var header));
        return reassembler.Accept(header, fragment.AsSpan(FragmentHeader.Size), now, out message, out drop);
    }

    private static ReassemblyOutcome Feed(Reassembler reassembler, byte[] fragment, TimeSpan now) => Feed(reassembler, fragment, now, out _, out _);

    private static byte[][] Fragments(int size, uint id, int seed = 0) =>
        Fragmenter.Split(MeshTestKeys.RandomBytes(new Random(seed + size), size), id, Mtu);

    [Fact]
    public void A_message_in_one_fragment_is_delivered_without_buffering()
    {
        var reassembler = new Reassembler();
        var fragment = Assert.Single(Fragments(100, 1));

        Assert.Equal(ReassemblyOutcome.Complete, Feed(reassembler, fragment, T0, out var message, out _));

        Assert.Equal(fragment[FragmentHeader.Size..], message);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Room)]
    [InlineData(2 * Room)]
    [InlineData(7 * Room)]
    [InlineData(7 * Room + 1)]
    [InlineData(20_000)]
    [InlineData(20 * 1024)]
    public void Reassembles_fragments_in_any_order_with_duplicates(int size)
    {
        var message = MeshTestKeys.RandomBytes(new Random(size), size);
        var fragments = Fragmenter.Split(message, 77, Mtu);
        var random = new Random(size + 1);
        var arrivals = fragments.Concat(fragments.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(arrivals);
        var reassembler = new Reassembler();
        byte[]? delivered = null;
        var completions = 0;

        foreach (var fragment in arrivals)
        {
            var outcome = Feed(reassembler, fragment, T0, out var whole, out _);
            Assert.NotEqual(ReassemblyOutcome.Dropped, outcome);
            if (outcome != ReassemblyOutcome.Complete) continue;
            completions++;
            delivered = whole;
        }

        Assert.Equal(1, completions);
        Assert.Equal(message, delivered);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void Twenty_KiB_arrives_in_44_fragments_at_a_480_byte_MTU()
    {
        Assert.Equal(44, Fragments(20 * 1024, 1).Length);
        Assert.Equal(43, Fragments(20_000, 1).Length);
    }

    [Fact]
    public void A_late_duplicate_of_a_completed_message_is_ignored()
    {
        var reassembler = new Reassembler();
        var fragments = Fragments(3 * Room, 9);
        foreach (var fragment in fragments) Feed(reassembler, fragment, T0);

        Assert.Equal(ReassemblyOutcome.Duplicate, Feed(reassembler, fragments[1], T0));
        Assert.Equal(0, reassembler.PartialCount);
    }

    [Fact]
    public void Duplicates_are_counted_in_buffered_bytes_once()
    {
        var reassembler = new Reassembler();
        var fragments = Fragments(3 * Room, 9);

        Assert.Equal(ReassemblyOutcome.Pending, Feed(reassembler, fragments[0], T0));
        Assert.Equal(ReassemblyOutcome.Duplicate, Feed(reassembler, fragments[0], T0));

        Assert.Equal(Room, reassembler.BufferedBytes);
    }

    public static TheoryData<byte, byte, byte, int> InvalidFragments => new()
    {
        // kind, index, count, payload length
        { FragmentHeader.DataKind, 5, 5, 10 },
        { FragmentHeader.DataKind, 200, 3, 10 },
        { FragmentHeader.DataKind, 0, 0, 10 },
        { FragmentHeader.DataKind, 0, 2, 0 },
        { FragmentHeader.DataKind, 0, 1, 0 },
        { FragmentHeader.NackKind, 0, 2, 10 },
        { 0x7F, 0, 2, 10 },
    };

    [Theory]
    [MemberData(nameof(InvalidFragments))]
    public void An_invalid_fragment_is_dropped_without_storing(byte kind, byte index, byte count, int length)
    {
        var reassembler = new Reassembler();

        var outcome = reassembler.Accept(new FragmentHeader(kind, 3, index, count), new byte[length], T0, out var message, out var drop);

        Assert.Equal(ReassemblyOutcome.Dropped, outcome);
        Assert.Equal(MeshDropReason.FragmentInvalid, drop);
        Assert.Null(message);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Theory]
    [InlineData(255, Room)]
    [InlineData(140, Room)]
    [InlineData(255, 300)]
    public void An_absurd_count_is_dropped_as_too_large_before_anything_is_stored(byte count, int payload)
    {
        var reassembler = new Reassembler();

        var outcome = reassembler.Accept(new FragmentHeader(FragmentHeader.DataKind, 3, 0, count), new byte[payload], T0, out _, out var drop);

        Assert.Equal(ReassemblyOutcome.Dropped, outcome);
        Assert.Equal(MeshDropReason.ReassemblyTooLarge, drop);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void The_first_fragment_bounds_the_message_allowing_a_short_last_fragment()
    {
        var limits = new ReassemblyLimits { MaxMessageBytes = 1000 };

        // 10 full fragments and a short last one may still fit; 11 full ones cannot.
        Assert.Equal(ReassemblyOutcome.Pending,
            new Reassembler(limits).Accept(new FragmentHeader(FragmentHeader.DataKind, 1, 0, 11), new byte[100], T0, out _, out _));
        Assert.Equal(ReassemblyOutcome.Dropped,
            new Reassembler(limits).Accept(new FragmentHeader(FragmentHeader.DataKind, 1, 0, 12), new byte[100], T0, out _, out _));
    }

    [Fact]
    public void A_message_that_grows_past_the_limit_is_dropped_and_its_bytes_released()
    {
        var limits = new ReassemblyLimits { MaxMessageBytes = 1000 };
        var reassembler = new Reassembler(limits);
        MeshDropReason drop = default;
        var outcome = ReassemblyOutcome.Pending;

        for (byte index = 0; index < 11 && outcome == ReassemblyOutcome.Pending; index++)
            outcome = reassembler.Accept(new FragmentHeader(FragmentHeader.DataKind, 1, index, 11), new byte[100], T0, out _, out drop);

        Assert.Equal(ReassemblyOutcome.Dropped, outcome);
        Assert.Equal(MeshDropReason.ReassemblyTooLarge, drop);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void A_single_fragment_over_the_limit_is_dropped()
    {
        var reassembler = new Reassembler(new ReassemblyLimits { MaxMessageBytes = 100 });

        var outcome = reassembler.Accept(new FragmentHeader(FragmentHeader.DataKind, 1, 0, 1), new byte[101], T0, out var message, out var drop);

        Assert.Equal(ReassemblyOutcome.Dropped, outcome);
        Assert.Equal(MeshDropReason.ReassemblyTooLarge, drop);
        Assert.Null(message);
    }

    [Fact]
    public void A_fragment_whose_count_contradicts_its_message_drops_the_message()
    {
        var reassembler = new Reassembler();
        reassembler.Accept(new FragmentHeader(FragmentHeader.DataKind, 4, 0, 3), new byte[50], T0, out _, out _);

        var outcome = reassembler.Accept(new FragmentHeader(FragmentHeader.DataKind, 4, 1, 4), new byte[50], T0, out _, out var drop);

        Assert.Equal(ReassemblyOutcome.Dropped, outcome);
        Assert.Equal(MeshDropReason.FragmentInvalid, drop);
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void Beyond_MaxPartialMessages_the_oldest_partial_is_evicted()
    {
        var reassembler = new Reassembler();
        var messages = Enumerable.Range(1, 9).Select(id => Fragments(3 * Room, (uint)id)).ToArray();
        for (var i = 0; i < 8; i++) Feed(reassembler, messages[i][0], T0 + TimeSpan.FromMilliseconds(i));
        Assert.Equal(8, reassembler.PartialCount);
        Assert.Equal(0, reassembler.Evicted);

        Feed(reassembler, messages[8][0], T0 + TimeSpan.FromMilliseconds(8));

        Assert.Equal(8, reassembler.PartialCount);
        Assert.Equal(1, reassembler.Evicted);
        Assert.Equal(8L * Room, reassembler.BufferedBytes);
        // Message 2 is still being put together; message 1 lost its first fragment with the eviction.
        Assert.Equal(ReassemblyOutcome.Pending, Feed(reassembler, messages[1][1], T0));
        Assert.Equal(ReassemblyOutcome.Complete, Feed(reassembler, messages[1][2], T0));
        Assert.Equal(ReassemblyOutcome.Pending, Feed(reassembler, messages[0][1], T0));
        Assert.Equal(ReassemblyOutcome.Pending, Feed(reassembler, messages[0][2], T0));
        Assert.Equal(1, reassembler.Evicted);
    }

    [Fact]
    public void A_partial_message_expires_after_the_timeout_from_its_last_fragment()
    {
        var reassembler = new Reassembler();
        var fragments = Fragments(4 * Room, 6);
        Feed(reassembler, fragments[0], T0);
        Feed(reassembler, fragments[1], T0 + TimeSpan.FromSeconds(3));

        Assert.Equal(0, reassembler.Expire(T0 + TimeSpan.FromSeconds(7.999)));
        Assert.Equal(1, reassembler.PartialCount);

        Assert.Equal(1, reassembler.Expire(T0 + TimeSpan.FromSeconds(8)));
        Assert.Equal(0, reassembler.PartialCount);
        Assert.Equal(0, reassembler.BufferedBytes);
        Assert.Equal(ReassemblyOutcome.Pending, Feed(reassembler, fragments[2], T0 + TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void The_timeout_is_configurable()
    {
        var reassembler = new Reassembler(new ReassemblyLimits { Timeout = TimeSpan.FromMilliseconds(200) });
        Feed(reassembler, Fragments(2 * Room, 6)[0], T0);

        Assert.Equal(0, reassembler.Expire(T0 + TimeSpan.FromMilliseconds(199)));
        Assert.Equal(1, reassembler.Expire(T0 + TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void NACKs_list_exactly_the_missing_indices_and_back_off_doubling_up_to_MaxNacks()
    {
        var reassembler = new Reassembler();
        var fragments = Fragments(10 * Room, 0x00BEEF);
        int[] missing = [2, 5, 9];
        foreach (var (fragment, index) in fragments.Select((f, i) => (f, i)))
            if (!missing.Contains(index)) Feed(reassembler, fragment, T0);

        var sentAt = new List<int>();
        for (var ms = 0; ms <= 5000; ms++)
        {
            foreach (var nack in reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(ms)))
            {
                Assert.True(FragmentHeader.TryRead(nack, out var header));
                Assert.Equal(FragmentHeader.NackKind, header.Kind);
                Assert.Equal(0x00BEEFu, header.MessageId);
                Assert.Equal(10, header.Count);
                Assert.Equal(missing, Fragmenter.MissingIn(nack, header.Count));
                sentAt.Add(ms);
            }
        }

        // 50 ms quiet, then 100, 200, 400, 800 after each NACK; five in all.
        Assert.Equal([50, 150, 350, 750, 1550], sentAt);
    }

    [Fact]
    public void A_new_fragment_restarts_the_NACK_schedule_with_what_is_still_missing()
    {
        var reassembler = new Reassembler(new ReassemblyLimits { MaxNacks = 2, NackDelay = TimeSpan.FromMilliseconds(10) });
        var fragments = Fragments(4 * Room, 12);
        Feed(reassembler, fragments[0], T0);
        Feed(reassembler, fragments[3], T0);
        Assert.Single(reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(10)));
        Assert.Single(reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(30)));
        Assert.Empty(reassembler.DueNacks(T0 + TimeSpan.FromSeconds(1)));

        Feed(reassembler, fragments[1], T0 + TimeSpan.FromSeconds(2));

        Assert.Empty(reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(2009)));
        var nack = Assert.Single(reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(2010)));
        Assert.Equal([2], Fragmenter.MissingIn(nack, 4));
    }

    [Fact]
    public void Nothing_is_NACKed_for_whole_messages_or_single_fragments()
    {
        var reassembler = new Reassembler();
        foreach (var fragment in Fragments(3 * Room, 1)) Feed(reassembler, fragment, T0);
        Feed(reassembler, Fragments(10, 2)[0], T0);

        Assert.Empty(reassembler.DueNacks(T0 + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Each_partial_message_gets_its_own_NACK()
    {
        var reassembler = new Reassembler();
        Feed(reassembler, Fragments(3 * Room, 1)[0], T0);
        Feed(reassembler, Fragments(2 * Room, 2)[1], T0);

        var nacks = reassembler.DueNacks(T0 + TimeSpan.FromMilliseconds(50));

        Assert.Equal(2, nacks.Count);
        var byId = nacks.ToDictionary(n => { FragmentHeader.TryRead(n, out var h); return h.MessageId; });
        Assert.Equal([1, 2], Fragmenter.MissingIn(byId[1], 3));
        Assert.Equal([0], Fragmenter.MissingIn(byId[2], 2));
    }
}
