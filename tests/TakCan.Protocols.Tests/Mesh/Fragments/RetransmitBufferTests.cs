using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Protocols.Tests.Mesh.Fragments;

public class RetransmitBufferTests
{
    private const int Mtu = 480;
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(10);

    private static byte[][] Fragments(int size, uint id) => Fragmenter.Split(MeshTestKeys.RandomBytes(new Random(size + (int)id), size), id, Mtu);

    private static IReadOnlyList<byte[]> Answer(RetransmitBuffer buffer, byte[] nack, TimeSpan now)
    {
        Assert.True(FragmentHeader.TryRead(nack, out var header));
        return buffer.Answer(header, nack, now);
    }

    [Fact]
    public void A_NACK_is_answered_with_exactly_the_missing_fragments()
    {
        var buffer = new RetransmitBuffer();
        var fragments = Fragments(20_000, 31);
        buffer.Remember(31, fragments, T0);

        var answer = Answer(buffer, Fragmenter.Nack(31, (byte)fragments.Length, [1, 5, 42]), T0 + TimeSpan.FromSeconds(1));

        Assert.Equal([fragments[1], fragments[5], fragments[42]], answer);
    }

    [Fact]
    public void A_NACK_for_every_fragment_gets_them_all()
    {
        var buffer = new RetransmitBuffer();
        var fragments = Fragments(5000, 2);
        buffer.Remember(2, fragments, T0);

        var answer = Answer(buffer, Fragmenter.Nack(2, (byte)fragments.Length, Enumerable.Range(0, fragments.Length)), T0);

        Assert.Equal(fragments, answer);
    }

    [Fact]
    public void A_NACK_for_an_unknown_message_or_another_count_gets_nothing()
    {
        var buffer = new RetransmitBuffer();
        var fragments = Fragments(2000, 7);
        buffer.Remember(7, fragments, T0);

        Assert.Empty(Answer(buffer, Fragmenter.Nack(8, (byte)fragments.Length, [0]), T0));
        Assert.Empty(Answer(buffer, Fragmenter.Nack(7, (byte)(fragments.Length + 1), [0]), T0));
        Assert.Single(Answer(buffer, Fragmenter.Nack(7, (byte)fragments.Length, [0]), T0));
    }

    [Fact]
    public void A_message_is_resent_at_most_four_times_its_size_however_often_it_is_nacked()
    {
        var buffer = new RetransmitBuffer();
        var fragments = Fragments(2000, 9);
        buffer.Remember(9, fragments, T0);
        var nack = Fragmenter.Nack(9, (byte)fragments.Length, Enumerable.Range(0, fragments.Length));

        var answered = Enumerable.Range(0, 50).Count(_ => Answer(buffer, nack, T0).Count > 0);

        Assert.Equal(RetransmitBuffer.MaxResendFactor, answered);
        Assert.Equal(46, buffer.Refused);
    }

    [Fact]
    public void Resends_stay_within_the_buffer_size_per_keep_period()
    {
        var buffer = new RetransmitBuffer(maxMessages: 16, maxBytes: 64 * 1024);
        var all = Enumerable.Range(0, 16).Select(i => (Id: (uint)i, Fragments: Fragments(3500, (uint)i))).ToList();
        foreach (var (id, fragments) in all) buffer.Remember(id, fragments, T0);

        // Asking for everything of every message, five times each: only 64 KiB goes out in the keep period.
        long resent = 0;
        for (var round = 0; round < 5; round++)
            foreach (var (id, fragments) in all)
                resent += Answer(buffer, Fragmenter.Nack(id, (byte)fragments.Length, Enumerable.Range(0, fragments.Length)), T0).Sum(f => (long)f.Length);

        Assert.InRange(resent, 60 * 1024, 64 * 1024);
        Assert.True(buffer.Refused > 0);
    }

    [Fact]
    public void Fragments_are_forgotten_after_the_keep_time()
    {
        var buffer = new RetransmitBuffer();
        var fragments = Fragments(2000, 7);
        buffer.Remember(7, fragments, T0);
        var nack = Fragmenter.Nack(7, (byte)fragments.Length, [3]);

        Assert.Single(Answer(buffer, nack, T0 + TimeSpan.FromSeconds(5)));
        Assert.Empty(Answer(buffer, nack, T0 + TimeSpan.FromSeconds(5) + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void The_keep_time_is_configurable()
    {
        var buffer = new RetransmitBuffer(keep: TimeSpan.FromMilliseconds(300));
        var fragments = Fragments(2000, 7);
        buffer.Remember(7, fragments, T0);
        var nack = Fragmenter.Nack(7, (byte)fragments.Length, [3]);

        Assert.Empty(Answer(buffer, nack, T0 + TimeSpan.FromMilliseconds(301)));
    }

    [Fact]
    public void Only_the_last_16_messages_are_kept()
    {
        var buffer = new RetransmitBuffer();
        var messages = Enumerable.Range(1, 17).Select(id => Fragments(1000, (uint)id)).ToArray();
        for (var i = 0; i < messages.Length; i++) buffer.Remember((uint)(i + 1), messages[i], T0);

        Assert.Empty(Answer(buffer, Fragmenter.Nack(1, (byte)messages[0].Length, [0]), T0));
        for (var id = 2; id <= 17; id++)
            Assert.Equal([messages[id - 1][1]], Answer(buffer, Fragmenter.Nack((uint)id, (byte)messages[id - 1].Length, [1]), T0));
    }

    [Fact]
    public void The_oldest_messages_go_when_the_bytes_run_over()
    {
        var buffer = new RetransmitBuffer(maxBytes: 10_000);
        var messages = Enumerable.Range(1, 5).Select(id => Fragments(3000, (uint)id)).ToArray();
        foreach (var (fragments, i) in messages.Select((m, i) => (m, i))) buffer.Remember((uint)(i + 1), fragments, T0);
        var size = messages[0].Sum(f => f.Length);
        var kept = 10_000 / size;

        for (var id = 1; id <= 5; id++)
        {
            var answer = Answer(buffer, Fragmenter.Nack((uint)id, (byte)messages[id - 1].Length, [0]), T0);
            Assert.Equal(id > 5 - kept ? 1 : 0, answer.Count);
        }
    }

    [Fact]
    public void Single_fragment_messages_and_messages_over_the_byte_limit_are_not_kept()
    {
        var buffer = new RetransmitBuffer(maxBytes: 10_000);
        var single = Fragments(100, 1);
        var huge = Fragments(20_000, 2);
        buffer.Remember(1, single, T0);
        buffer.Remember(2, huge, T0);

        Assert.Empty(Answer(buffer, Fragmenter.Nack(1, 1, [0]), T0));
        Assert.Empty(Answer(buffer, Fragmenter.Nack(2, (byte)huge.Length, [0]), T0));
    }
}
