using TakCan.Protocols.TakProto;
using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.Tests.TakProto;

public class TakStreamDecoderTests
{
    private static readonly byte[][] Payloads = TakProtoSamples.ThreePayloads();
    private static readonly byte[] Stream = [.. Payloads.SelectMany(p => TakProtocolFraming.EncodeStream(p))];

    [Fact]
    public void Sample_lengths_need_one_two_and_three_byte_varints()
    {
        Assert.Equal(
            [2, 3, 4],
            Payloads.Select(p => TakProtocolFraming.StreamHeaderSize(p.Length)).ToArray());
    }

    [Fact]
    public void Decodes_three_messages_from_one_read()
    {
        var decoder = new TakStreamDecoder();

        var messages = decoder.Feed(Stream);
        decoder.Complete();

        AssertPayloads(messages);
        Assert.False(decoder.HasPartialMessage);
        Assert.Equal(3, decoder.MessagesDecoded);
        Assert.Equal(Stream.Length, decoder.Position);
    }

    [Fact]
    public void Decodes_three_messages_fed_one_byte_at_a_time()
    {
        var decoder = new TakStreamDecoder();
        var messages = new List<ReadOnlyMemory<byte>>();
        var boundaries = new HashSet<int>();
        int end = 0;
        foreach (var payload in Payloads)
            boundaries.Add(end += TakProtocolFraming.StreamHeaderSize(payload.Length) + payload.Length);

        for (int i = 0; i < Stream.Length; i++)
        {
            decoder.Feed(Stream.AsSpan(i, 1), messages.Add);
            Assert.Equal(!boundaries.Contains(i + 1), decoder.HasPartialMessage);
        }
        decoder.Complete();

        AssertPayloads(messages);
    }

    [Fact]
    public void Decodes_three_messages_split_at_every_point()
    {
        for (int split = 0; split <= Stream.Length; split++)
        {
            var decoder = new TakStreamDecoder();
            var messages = new List<ReadOnlyMemory<byte>>();

            decoder.Feed(Stream.AsSpan(0, split), messages.Add);
            decoder.Feed(Stream.AsSpan(split), messages.Add);
            decoder.Complete();

            AssertPayloads(messages);
        }
    }

    [Fact]
    public void Decodes_three_messages_split_at_every_pair_of_points_around_the_headers()
    {
        // Every pair of split points over the whole stream is ~150 million feeds; the interesting pairs
        // are those that cut a header, so the first cut walks the stream and the second the header zones.
        var zones = new List<int>();
        int offset = 0;
        foreach (var payload in Payloads)
        {
            for (int i = -2; i <= TakProtocolFraming.StreamHeaderSize(payload.Length) + 2; i++)
                if (offset + i >= 0 && offset + i <= Stream.Length)
                    zones.Add(offset + i);
            offset += TakProtocolFraming.StreamHeaderSize(payload.Length) + payload.Length;
        }

        for (int first = 0; first <= Stream.Length; first += first < 200 ? 1 : 97)
        {
            foreach (int second in zones)
            {
                var (a, b) = first <= second ? (first, second) : (second, first);
                var decoder = new TakStreamDecoder();
                var messages = new List<ReadOnlyMemory<byte>>();

                decoder.Feed(Stream.AsSpan(0, a), messages.Add);
                decoder.Feed(Stream.AsSpan(a, b - a), messages.Add);
                decoder.Feed(Stream.AsSpan(b), messages.Add);
                decoder.Complete();

                AssertPayloads(messages);
            }
        }
    }

    [Fact]
    public void Delivers_payloads_the_caller_owns()
    {
        var decoder = new TakStreamDecoder();
        var chunk = (byte[])Stream.Clone();

        var messages = decoder.Feed(chunk);
        Array.Clear(chunk);

        AssertPayloads(messages);
    }

    [Fact]
    public void Delivers_a_zero_length_message_as_an_empty_payload()
    {
        var decoder = new TakStreamDecoder();

        var messages = decoder.Feed([0xBF, 0x00, 0xBF, 0x01, 0x42]);

        Assert.Equal(2, messages.Count);
        Assert.True(messages[0].IsEmpty);
        Assert.Equal([0x42], messages[1].ToArray());
    }

    [Fact]
    public void Accepts_a_message_of_exactly_the_maximum_size()
    {
        var payload = new byte[64];
        var decoder = new TakStreamDecoder(maxMessageBytes: 64);

        var messages = decoder.Feed(TakProtocolFraming.EncodeStream(payload));

        Assert.Single(messages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Varint_that_never_ends_fails_by_the_tenth_byte(bool oneByteAtATime)
    {
        byte[] hostile = [0xBF, .. Enumerable.Repeat((byte)0x80, 64)];

        var error = FeedExpectingFailure(new TakStreamDecoder(), hostile, oneByteAtATime);

        Assert.Contains("length varint of message 1 is longer than 10 bytes", error.Message);
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void Varint_beyond_int_range_fails()
    {
        byte[] hostile = [0xBF, .. Enumerable.Repeat((byte)0xFF, 11)];

        var error = FeedExpectingFailure(new TakStreamDecoder(), hostile, oneByteAtATime: false);

        Assert.Contains("exceeds 2147483647", error.Message);
    }

    [Fact]
    public void Length_above_maximum_fails_with_the_numbers()
    {
        var decoder = new TakStreamDecoder(maxMessageBytes: 100);
        byte[] stream = [.. TakProtocolFraming.EncodeStream(new byte[3]), 0xBF, 0x65];

        var error = FeedExpectingFailure(decoder, stream, oneByteAtATime: false);

        Assert.Contains("message 2 declares 101 bytes, above the maximum of 100", error.Message);
        Assert.Equal(6, error.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0xBF, 0x80, 0x80, 0x80, 0x80, 0x08 })] // 2 GiB: beyond int range
    [InlineData(new byte[] { 0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 })] // int.MaxValue
    [InlineData(new byte[] { 0xBF, 0x81, 0x80, 0x40 })]             // 1 MiB + 1
    public void Huge_declared_length_fails_before_allocating(byte[] header)
    {
        var decoder = new TakStreamDecoder(maxMessageBytes: 1 << 20);
        Exception? caught = null;

        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            decoder.Feed(header, _ => { });
        }
        catch (Exception ex)
        {
            caught = ex;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsType<CotFormatException>(caught);
        // The exception, its message and stack trace; nowhere near the declared length or the maximum.
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes while rejecting the header");
    }

    [Fact]
    public void Wrong_magic_byte_fails_at_its_offset()
    {
        var first = TakProtocolFraming.EncodeStream(Payloads[0]);
        byte[] stream = [.. first, (byte)'<', (byte)'e'];

        var error = FeedExpectingFailure(new TakStreamDecoder(), stream, oneByteAtATime: false);

        Assert.Contains("expected 0xBF at the start of message 2, found 0x3C", error.Message);
        Assert.Equal(first.Length, error.Offset);
    }

    [Fact]
    public void Truncated_body_names_the_message_and_the_bytes_received()
    {
        var decoder = new TakStreamDecoder();
        var second = TakProtocolFraming.EncodeStream(Payloads[1]);
        decoder.Feed([.. TakProtocolFraming.EncodeStream(Payloads[0]), .. second[..10]]);

        Assert.True(decoder.HasPartialMessage);
        var error = Assert.Throws<CotFormatException>(decoder.Complete);
        Assert.Contains($"truncated stream: 7 of {Payloads[1].Length} bytes of message 2", error.Message);
    }

    [Fact]
    public void Truncated_header_is_reported()
    {
        var decoder = new TakStreamDecoder();
        decoder.Feed([0xBF, 0x80]);

        var error = Assert.Throws<CotFormatException>(decoder.Complete);

        Assert.Contains("truncated stream: message 1 ends inside its header after 2 byte(s)", error.Message);
    }

    [Fact]
    public void A_failed_stream_stays_failed()
    {
        var decoder = new TakStreamDecoder();
        Assert.Throws<CotFormatException>(() => decoder.Feed([0x00]));

        var again = Assert.Throws<CotFormatException>(() => decoder.Feed(TakProtocolFraming.EncodeStream(Payloads[0])));
        Assert.Throws<CotFormatException>(decoder.Complete);

        Assert.Contains("already failed", again.Message);
        Assert.IsType<CotFormatException>(again.InnerException);
    }

    [Fact]
    public void A_throwing_consumer_leaves_the_decoder_at_the_message_boundary()
    {
        var decoder = new TakStreamDecoder();
        var first = TakProtocolFraming.EncodeStream(Payloads[0]);

        Assert.Throws<InvalidOperationException>(() => decoder.Feed(Stream, _ => throw new InvalidOperationException()));

        Assert.Equal(first.Length, decoder.Position);
        Assert.False(decoder.HasPartialMessage);
        var rest = decoder.Feed(Stream.AsSpan(first.Length));
        Assert.Equal(2, rest.Count);
    }

    [Fact]
    public void Random_bytes_only_ever_raise_the_domain_error()
    {
        var random = new Random(20240601);
        for (int iteration = 0; iteration < 5_000; iteration++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
                bytes[0] = TakProtocolFraming.Magic;
            var decoder = new TakStreamDecoder(maxMessageBytes: 1 + random.Next(64));

            try
            {
                int at = 0;
                while (at < bytes.Length)
                {
                    int take = Math.Min(bytes.Length - at, 1 + random.Next(8));
                    decoder.Feed(bytes.AsSpan(at, take), _ => { });
                    at += take;
                }
                decoder.Complete();
            }
            catch (CotFormatException)
            {
            }
        }
    }

    [Fact]
    public void Rejects_a_non_positive_maximum()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TakStreamDecoder(0));
    }

    private static CotFormatException FeedExpectingFailure(TakStreamDecoder decoder, byte[] stream, bool oneByteAtATime)
    {
        return Assert.Throws<CotFormatException>(() =>
        {
            if (!oneByteAtATime)
            {
                decoder.Feed(stream, _ => { });
                return;
            }
            for (int i = 0; i < stream.Length; i++)
                decoder.Feed(stream.AsSpan(i, 1), _ => { });
        });
    }

    private static void AssertPayloads(IReadOnlyList<ReadOnlyMemory<byte>> messages)
    {
        Assert.Equal(Payloads.Length, messages.Count);
        for (int i = 0; i < Payloads.Length; i++)
            Assert.True(Payloads[i].AsSpan().SequenceEqual(messages[i].Span), $"message {i + 1} differs");
    }
}
