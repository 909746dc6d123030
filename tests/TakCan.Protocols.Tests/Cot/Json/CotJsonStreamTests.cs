using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Json;

namespace TakCan.Protocols.Tests.Cot.Json;

public class CotJsonStreamTests
{
    private static readonly string Sa = CotJson.Serialize(CotJsonSamples.SelfSa());

    private static string Event(string uid) => CotJson.Serialize(CotJsonSamples.SelfSa() with { Uid = uid });

    [Fact]
    public void A_bad_line_in_the_middle_is_reported_and_the_others_still_come_out()
    {
        var text = $"{Event("one")}\n{Event("two").Replace("\"team\":\"Cyan\"", "\"team\":7")}\n{Event("three")}\n";

        var items = ReadAll(text);

        Assert.Equal(3, items.Count);
        Assert.Equal("one", items[0].Event?.Uid);
        Assert.False(items[1].IsEvent);
        Assert.Equal(1, items[1].Index);
        Assert.StartsWith("event 1 (line 2): detail[4].team: expected a string, found a number", items[1].Error!.Message);
        Assert.Equal("three", items[2].Event?.Uid);
        Assert.Equal(2, items[2].Index);
    }

    [Fact]
    public void Broken_json_on_one_line_does_not_swallow_the_next()
    {
        var text = $"{Event("one")}\n{{\"uid\":\"unterminated\n{Event("three")}\n[[[[[[\n{Event("five")}";

        var items = ReadAll(text);

        Assert.Equal(["one", null, "three", null, "five"], items.Select(i => i.Event?.Uid));
        Assert.StartsWith("event 1 (line 2): uid: invalid JSON", items[1].Error!.Message);
        Assert.Contains("event 3 (line 4)", items[3].Error!.Message);
    }

    [Fact]
    public void Blank_lines_crlf_bom_and_a_missing_final_newline_are_fine()
    {
        var text = $"\uFEFF\r\n{Event("one")}\r\n\r\n   \n\t{Event("two")}  \r\n{Event("three")}";

        var items = ReadAll(text);

        Assert.Equal(["one", "two", "three"], items.Select(i => i.Event?.Uid));
        Assert.Equal([0, 1, 2], items.Select(i => i.Index));
    }

    [Fact]
    public void Empty_and_blank_streams_hold_no_events()
    {
        Assert.Empty(ReadAll(""));
        Assert.Empty(ReadAll(" \n\r\n\t"));
        Assert.Empty(ReadAll("[]"));
        Assert.Empty(ReadAll("\n [ \n ] \n"));
    }

    [Fact]
    public void An_array_of_events_reads_like_lines()
    {
        var text = $"[\n  {Event("one")},\n  {Event("two")}\n]\n";

        var items = ReadAll(text);

        Assert.Equal(["one", "two"], items.Select(i => i.Event?.Uid));
    }

    [Fact]
    public void A_bad_element_in_an_array_is_skipped_and_reading_goes_on()
    {
        var bad = Event("two").Replace("\"uid\":\"two\",", "");
        var text = $"[{Event("one")},{bad},\n{Event("three")}]";

        var items = ReadAll(text);

        Assert.Equal(["one", null, "three"], items.Select(i => i.Event?.Uid));
        Assert.StartsWith("event 1 (line 1): uid: missing (required)", items[1].Error!.Message);
        Assert.Equal(2, items[2].Index);
    }

    [Fact]
    public void Array_elements_are_cut_outside_strings_only()
    {
        var tricky = CotJsonSamples.With(new Remarks { Content = "a,b],{c}\"d\\\",e" }, new OpaqueElement("x", "<x a='],['>[}</x>"));
        var text = $"[{CotJson.Serialize(tricky)},{Event("two")}]";

        var items = ReadAll(text);

        Assert.Equal(tricky, items[0].Event);
        Assert.Equal("two", items[1].Event?.Uid);
    }

    [Theory]
    [InlineData("[{},]", 2, "expected an event after ','")]
    [InlineData("[,{}]", 2, "expected an event, found ','")]
    [InlineData("[{}", 1, "array is not closed")]
    [InlineData("[{},", 2, "before the array's closing ']'")]
    [InlineData("[{}] {}", 2, "unexpected content after the array's closing ']'")]
    [InlineData("[{} {}]", 1, "event 0 (line 1)")]
    public void Malformed_arrays_are_reported_as_items(string text, int count, string message)
    {
        var items = ReadAll(text);

        Assert.Equal(count, items.Count);
        Assert.Contains(items, i => !i.IsEvent && i.Error.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_line_over_the_limit_is_reported_without_being_buffered_and_the_next_line_reads()
    {
        var limits = new CotJsonLimits { MaxEventBytes = Sa.Length + 10 };
        var huge = $"{{\"uid\":\"{new string('x', 5_000_000)}\"}}";
        var text = $"{Event("one")}\n{huge}\n{Event("three")}\n";

        var items = ReadAll(text, limits);

        Assert.Equal(["one", null, "three"], items.Select(i => i.Event?.Uid));
        Assert.Contains($"event 1 (line 2): event is over {limits.MaxEventBytes} bytes", items[1].Error!.Message);
    }

    [Fact]
    public void An_array_element_over_the_limit_is_reported_and_the_next_reads()
    {
        var limits = new CotJsonLimits { MaxEventBytes = Sa.Length + 10 };
        var text = $"[{Event("one")},\"{new string('x', 100_000)}\",{Event("three")}]";

        var items = ReadAll(text, limits);

        Assert.Equal(["one", null, "three"], items.Select(i => i.Event?.Uid));
    }

    [Fact]
    public void Any_chunking_gives_the_same_records()
    {
        var lines = $"{Event("one")}\r\n\n{Event("two")}\n{{bad\n{Event("four")}";
        var array = $"\uFEFF [ {Event("one")} ,\n{Event("two")},{{\"bad\":\"],\\\"\"}}, {Event("four")} ] ";
        foreach (var text in new[] { lines, array })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var whole = Split(bytes, bytes.Length);
            foreach (var size in new[] { 1, 2, 3, 7, 64 })
            {
                var pieces = Split(bytes, size);
                Assert.Equal(whole.Select(Describe), pieces.Select(Describe));
            }

            Assert.Equal(4, whole.Count);
        }
    }

    [Fact]
    public void Splitter_records_know_their_index_line_and_offset()
    {
        var text = $"\n{Event("one")}\n  {Event("two")}\n";
        var splitter = new CotJsonLineSplitter();

        var lines = splitter.Feed(Encoding.UTF8.GetBytes(text)).Concat(splitter.Complete()).ToList();

        Assert.Equal([0, 1], lines.Select(l => l.Index));
        Assert.Equal([2, 3], lines.Select(l => l.Line));
        Assert.Equal([1L, 1 + Event("one").Length + 1 + 2], lines.Select(l => l.Offset));
        Assert.Equal(Event("two"), Encoding.UTF8.GetString(lines[1].Utf8.Span));
        Assert.Throws<InvalidOperationException>(() => splitter.Feed("{}"u8));
    }

    [Fact]
    public void Errors_inside_a_stream_carry_the_byte_offset()
    {
        var text = $"{Event("one")}\n{{\"uid\":1}}\n";

        var error = ReadAll(text)[1].Error!;

        Assert.Equal(Event("one").Length + 1 + "{\"uid\":".Length, error.Offset);
    }

    [Fact]
    public void Written_lines_read_back_in_order()
    {
        var events = Enumerable.Range(0, 2000).Select(i => CotJsonSamples.With(new Contact { Callsign = $"C{i}" }) with { Uid = $"u{i}" }).ToList();
        using var stream = new MemoryStream();

        CotJson.WriteLines(events, stream);
        stream.Position = 0;
        var items = CotJson.ReadAll(stream).ToList();

        Assert.Equal(events, items.Select(i => i.Event));
        Assert.False(stream.ToArray().AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
        Assert.Equal(events.Count, stream.ToArray().Count(b => b == '\n'));
    }

    [Fact]
    public async Task Async_reading_matches_sync_reading()
    {
        var text = $"[{Event("one")},{{\"uid\":2}},{Event("three")}]";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var items = new List<CotJsonItem>();
        await foreach (var item in CotJson.ReadAllAsync(stream)) items.Add(item);

        Assert.Equal(ReadAll(text).Select(i => i.ToString()), items.Select(i => i.ToString()));
    }

    private static List<CotJsonItem> ReadAll(string text, CotJsonLimits? limits = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return CotJson.ReadAll(stream, limits).ToList();
    }

    private static List<CotJsonItem> Split(byte[] bytes, int chunk)
    {
        var splitter = new CotJsonLineSplitter();
        var lines = new List<CotJsonLine>();
        for (var i = 0; i < bytes.Length; i += chunk) lines.AddRange(splitter.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i))));
        lines.AddRange(splitter.Complete());
        return lines.Select(l => CotJson.Decode(l)).ToList();
    }

    private static string Describe(CotJsonItem item) => item.IsEvent ? $"{item.Index}:{CotJson.Serialize(item.Event)}" : $"{item.Index}:{item.Error.Message}";
}
