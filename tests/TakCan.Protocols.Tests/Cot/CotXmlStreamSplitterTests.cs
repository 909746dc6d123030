using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot;

public class CotXmlStreamSplitterTests
{
    /// <summary>UTF-8 samples as they follow one another on a TAK Server TCP stream.</summary>
    private static readonly string[] StreamSamples =
    [
        "atak-sa.xml", "wintak-sa.xml", "geochat-all-rooms.xml", "route.xml", "ping.xml", "pong.xml",
        "custom-unknown.xml", "point-after-detail.xml", "server-flow-tags.xml", "itak-sa.xml",
    ];

    /// <summary>An error item in a drained sequence (TryRead threw).</summary>
    private static readonly byte[] Dropped = "<dropped>"u8.ToArray();

    private static byte[] WithoutDeclaration(byte[] bytes)
    {
        var span = bytes.AsSpan();
        if (!span.StartsWith("<?xml"u8)) return bytes;
        var end = span.IndexOf("?>"u8) + 2;
        while (span[end] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t') end++;
        return span[end..].ToArray();
    }

    private static List<byte[]> Events(bool declarations) =>
        StreamSamples.Select(n => declarations ? CotSamples.EventBytes(n) : WithoutDeclaration(CotSamples.EventBytes(n))).ToList();

    private static byte[] Join(IEnumerable<byte[]> events, string separator, bool trailing = false)
    {
        var sep = Encoding.ASCII.GetBytes(separator);
        var stream = new List<byte>();
        foreach (var e in events)
        {
            if (stream.Count > 0) stream.AddRange(sep);
            stream.AddRange(e);
        }

        if (trailing) stream.AddRange(sep);
        return stream.ToArray();
    }

    /// <summary>Reads everything ready; an oversized event shows as <see cref="Dropped"/>.</summary>
    private static void Drain(CotXmlStreamSplitter splitter, List<byte[]> into)
    {
        while (true)
        {
            try
            {
                if (!splitter.TryRead(out var evt)) return;
                into.Add(evt.ToArray());
            }
            catch (CotFormatException e)
            {
                Assert.Contains("limit", e.Message);
                into.Add(Dropped);
            }
        }
    }

    private static List<byte[]> FeedInChunks(byte[] stream, IEnumerable<int> chunkSizes, CotXmlLimits? limits = null)
    {
        var splitter = new CotXmlStreamSplitter(limits);
        var result = new List<byte[]>();
        var at = 0;
        using var sizes = chunkSizes.GetEnumerator();
        while (at < stream.Length)
        {
            var size = sizes.MoveNext() ? Math.Min(sizes.Current, stream.Length - at) : stream.Length - at;
            splitter.Feed(stream.AsSpan(at, size));
            at += size;
            Drain(splitter, result);
        }

        splitter.Complete();
        Assert.False(splitter.HasPartialEvent);
        return result;
    }

    private static List<byte[]> FeedSplitAt(byte[] stream, int split, CotXmlLimits? limits = null)
    {
        var splitter = new CotXmlStreamSplitter(limits);
        var result = new List<byte[]>();
        splitter.Feed(stream.AsSpan(0, split));
        Drain(splitter, result);
        splitter.Feed(stream.AsSpan(split));
        Drain(splitter, result);
        splitter.Complete();
        return result;
    }

    private static void AssertSameEvents(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual, string how)
    {
        Assert.True(expected.Count == actual.Count, $"{how}: {actual.Count} items instead of {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]),
                $"{how}: item {i} differs:\n{Encoding.UTF8.GetString(actual[i])}");
    }

    public static TheoryData<bool, string> Layouts => new()
    {
        { true, "" },
        { true, "\n" },
        { true, "\r\n" },
        { false, "" },
        { false, "\n" },
        { false, "\r\n" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Back_to_back_events_come_out_whole_and_in_order(bool declarations, string separator)
    {
        var events = Events(declarations);
        var stream = Join(events, separator, trailing: true);

        var all = FeedInChunks(stream, []);

        AssertSameEvents(events, all, "fed at once");
        for (var i = 0; i < events.Count; i++)
            Assert.Equal(CotXmlReader.Read(CotSamples.Bytes(StreamSamples[i])), CotXmlReader.Read(all[i]));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Feeding_one_byte_at_a_time_gives_the_same_events(bool declarations, string separator)
    {
        var events = Events(declarations);
        var stream = Join(events, separator);

        AssertSameEvents(events, FeedInChunks(stream, Enumerable.Repeat(1, stream.Length)), "one byte at a time");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Splitting_the_stream_at_every_byte_gives_the_same_events(bool declarations, string separator)
    {
        var events = Events(declarations);
        var stream = Join(events, separator, trailing: true);

        for (var split = 0; split <= stream.Length; split++)
            AssertSameEvents(events, FeedSplitAt(stream, split), $"split at {split}");
    }

    [Fact]
    public void Random_read_sizes_give_the_same_events()
    {
        var events = Events(declarations: true);
        var stream = Join(events, "\r\n");
        var random = new Random(4242);

        for (var round = 0; round < 50; round++)
        {
            var sizes = Enumerable.Range(0, stream.Length).Select(_ => random.Next(1, 1500)).ToArray();
            AssertSameEvents(events, FeedInChunks(stream, sizes), $"round {round}");
        }
    }

    [Fact]
    public void End_tag_with_whitespace_before_the_bracket_ends_the_event()
    {
        var first = "<event uid='a' type='t'><point lat='1' lon='2'/></event   >"u8.ToArray();
        var second = "<event uid='b' type='t'><point lat='1' lon='2'/></event\r\n>"u8.ToArray();

        AssertSameEvents([first, second], FeedInChunks([.. first, .. second], Enumerable.Repeat(1, 200)), "bytewise");
    }

    [Fact]
    public void Elements_whose_names_start_with_event_do_not_end_the_event()
    {
        var evt = "<event uid='a' type='t'><point lat='1' lon='2'/><detail><events>2</events><eventx/></detail></event>"u8.ToArray();

        AssertSameEvents([evt, evt], FeedInChunks([.. evt, .. evt], []), "at once");
        AssertSameEvents([evt, evt], FeedInChunks([.. evt, .. evt], Enumerable.Repeat(3, 100)), "three bytes at a time");
    }

    // ---- oversized events --------------------------------------------------------------------------------------

    private static readonly CotXmlLimits SmallLimit = new() { MaxEventBytes = 4096 };

    private static byte[] Oversized(int remarksLength) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(CotSamples.EventBytes("ping.xml"))
            .Replace("<detail/>", "<detail><remarks>" + new string('x', remarksLength) + "</remarks></detail>"));

    [Theory]
    [InlineData(4000)]
    [InlineData(5000)]
    [InlineData(50_000)]
    public void An_oversized_event_is_reported_once_and_the_events_after_it_still_arrive(int remarksLength)
    {
        var before = CotSamples.EventBytes("atak-sa.xml");
        var big = Oversized(remarksLength);
        var after = CotSamples.EventBytes("geochat-all-rooms.xml");
        var last = CotSamples.EventBytes("pong.xml");
        Assert.True(big.Length > SmallLimit.MaxEventBytes);
        var stream = Join([before, big, after, last], "\n");
        byte[][] expected = [before, Dropped, after, last];

        AssertSameEvents(expected, FeedInChunks(stream, [], SmallLimit), "at once");
        foreach (var size in new[] { 1, 7, 100, 1000, 4095, 4096, 4097, 10_000 })
            AssertSameEvents(expected, FeedInChunks(stream, Enumerable.Repeat(size, stream.Length), SmallLimit), $"chunks of {size}");
        var step = stream.Length > 20_000 ? 97 : 1;
        for (var split = 0; split <= stream.Length; split += step)
            AssertSameEvents(expected, FeedSplitAt(stream, split, SmallLimit), $"split at {split}");
    }

    [Fact]
    public void An_event_exactly_at_the_limit_is_delivered()
    {
        var evt = CotSamples.EventBytes("atak-sa.xml");
        var limits = new CotXmlLimits { MaxEventBytes = evt.Length };

        AssertSameEvents([evt, evt], FeedInChunks([.. evt, .. evt], [], limits), "at once");
        AssertSameEvents([evt, evt], FeedInChunks([.. evt, .. evt], Enumerable.Repeat(1, evt.Length * 2), limits), "bytewise");
    }

    [Fact]
    public void Fifty_megabyte_event_without_an_end_keeps_the_buffer_bounded()
    {
        const int chunk = 64 * 1024;
        var limit = CotXmlLimits.Default.MaxEventBytes;
        var splitter = new CotXmlStreamSplitter();
        var filler = new byte[chunk];
        filler.AsSpan().Fill((byte)'x');
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        splitter.Feed(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(CotSamples.EventBytes("ping.xml"))
            .Replace("<detail/></event>", "<detail><remarks>")));
        long fed = 0;
        var peak = 0;
        while (fed < 50L * 1024 * 1024)
        {
            splitter.Feed(filler);
            fed += chunk;
            peak = Math.Max(peak, splitter.BufferedBytes);
            Assert.True(splitter.BufferedBytes <= limit + chunk, $"{splitter.BufferedBytes} bytes buffered after {fed} bytes");
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 16 * 1024 * 1024, "the splitter allocated in proportion to the event");
        Assert.True(splitter.HasPartialEvent);
        var error = Assert.Throws<CotFormatException>(() => splitter.TryRead(out _));
        Assert.Contains("limit of 1048576 bytes", error.Message);
        Assert.False(splitter.TryRead(out _));
        var truncated = Assert.Throws<CotFormatException>(splitter.Complete);
        Assert.Contains("truncated", truncated.Message);
    }

    [Fact]
    public void Fifty_megabyte_event_is_skipped_and_the_next_event_arrives()
    {
        const int chunk = 64 * 1024;
        var splitter = new CotXmlStreamSplitter();
        var filler = new byte[chunk];
        filler.AsSpan().Fill((byte)'x');
        var next = CotSamples.EventBytes("atak-sa.xml");

        splitter.Feed("<event uid='big' type='t'><point lat='1' lon='2'/><detail><remarks>"u8);
        for (var i = 0; i < 800; i++) splitter.Feed(filler);
        splitter.Feed([.. "</remarks></detail></event>\r\n"u8, .. next, .. "\r\n"u8]);
        var result = new List<byte[]>();
        Drain(splitter, result);
        splitter.Complete();

        AssertSameEvents([Dropped, next], result, "after 50 MB");
    }

    // ---- end of stream -----------------------------------------------------------------------------------------

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void A_stream_cut_inside_an_event_fails_on_complete(int chunk)
    {
        var first = CotSamples.EventBytes("atak-sa.xml");
        var second = CotSamples.EventBytes("geochat-all-rooms.xml");

        for (var cut = 1; cut < second.Length; cut += 37)
        {
            var splitter = new CotXmlStreamSplitter();
            var stream = (byte[])[.. first, .. "\n"u8, .. second.AsSpan(0, cut)];
            for (var at = 0; at < stream.Length; at += chunk) splitter.Feed(stream.AsSpan(at, Math.Min(chunk, stream.Length - at)));
            var result = new List<byte[]>();
            Drain(splitter, result);

            AssertSameEvents([first], result, $"cut at {cut}");
            Assert.True(splitter.HasPartialEvent);
            var error = Assert.Throws<CotFormatException>(splitter.Complete);
            Assert.Contains("truncated", error.Message);
        }
    }

    [Theory]
    [InlineData("</event")]
    [InlineData("</event \r\n")]
    [InlineData("</eve")]
    public void A_stream_cut_inside_the_end_tag_fails_on_complete(string ending)
    {
        var evt = Encoding.UTF8.GetString(CotSamples.EventBytes("pong.xml"));
        var splitter = new CotXmlStreamSplitter();

        splitter.Feed(Encoding.UTF8.GetBytes(evt[..^"</event>".Length] + ending));

        Assert.False(splitter.TryRead(out _));
        Assert.Throws<CotFormatException>(splitter.Complete);
    }

    [Fact]
    public void Trailing_whitespace_after_the_last_event_is_not_a_partial_event()
    {
        var splitter = new CotXmlStreamSplitter();

        splitter.Feed([.. CotSamples.EventBytes("ping.xml"), .. "\r\n\n \t"u8]);

        Assert.True(splitter.TryRead(out _));
        Assert.False(splitter.HasPartialEvent);
        splitter.Complete();
    }
}
