using System.Text;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Codecs;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Host.Console.Tests.Cli;

public class CotCommandTests
{
    private static readonly string[] SampleFiles = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples"), "*.xml")
        .Where(f => !Path.GetFileName(f).StartsWith("utf16", StringComparison.Ordinal)).Order().ToArray();

    private static byte[] AllSamples() => SampleFiles.SelectMany(f => File.ReadAllBytes(f).Concat("\n"u8.ToArray())).ToArray();

    private static List<CotEvent> Expected() => SampleFiles.Select(f => CotXmlReader.Read(File.ReadAllBytes(f))).ToList();

    [Theory]
    [InlineData("proto", "stream")]
    [InlineData("json", "stream")]
    [InlineData("xml", "stream")]
    public async Task Every_sample_survives_xml_to_another_encoding_and_back(string via, string framing)
    {
        var (code1, encoded, err1) = await TakcanProcess.RunAsync(AllSamples(), "cot", "convert", "--from", "xml", "--to", via, "--framing", framing);
        Assert.True(code1 == 0, err1);
        var (code2, xml, err2) = await TakcanProcess.RunAsync(encoded, "cot", "convert", "--from", via, "--to", "xml", "--framing", framing);
        Assert.True(code2 == 0, err2);

        var back = Decode(xml, CotEncoding.Xml);
        var expected = Expected();
        Assert.Equal(expected.Count, back.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Uid, back[i].Uid);
            Assert.Equal(expected[i].Type, back[i].Type);
            Assert.Equal(expected[i].Point, back[i].Point);
            Assert.Equal(expected[i].Detail.Contact?.Callsign, back[i].Detail.Contact?.Callsign);
            Assert.Equal(expected[i].Detail.Elements.Count, back[i].Detail.Elements.Count);
        }
    }

    [Fact]
    public async Task A_bad_event_is_reported_with_its_index_skipped_and_the_exit_code_is_1()
    {
        var input = Encoding.UTF8.GetBytes(File.ReadAllText(SampleFiles[0]) + "<event uid='broken' type='a-f-G'><point lat='1' lon='2'/></event>" +
                                           File.ReadAllText(SampleFiles[1]));

        var (code, output, stderr) = await TakcanProcess.RunAsync(input, "cot", "convert", "--from", "xml", "--to", "json");

        Assert.Equal(1, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("event index 1", lines[0]);
        Assert.Contains("time", lines[0]);
        Assert.Equal(2, Decode(output, CotEncoding.Json).Count);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("mesh")]
    public async Task One_event_converts_with_single_message_framings(string framing)
    {
        var (code1, proto, _) = await TakcanProcess.RunAsync(File.ReadAllBytes(SampleFiles[0]), "cot", "convert", "--from", "xml", "--to", "proto", "--framing", framing);
        Assert.Equal(0, code1);
        if (framing == "mesh") Assert.Equal(new byte[] { 0xBF, 0x01, 0xBF }, proto[..3]);

        var (code2, json, stderr) = await TakcanProcess.RunAsync(proto, "cot", "convert", "--from", "proto", "--to", "json", "--framing", framing);

        Assert.True(code2 == 0, stderr);
        Assert.Equal(Expected()[0].Uid, Assert.Single(Decode(json, CotEncoding.Json)).Uid);
    }

    [Fact]
    public async Task A_broken_stream_header_is_reported_and_fails()
    {
        var (code, _, stderr) = await TakcanProcess.RunAsync([0x42, 0x00, 0x01], "cot", "convert", "--from", "proto", "--to", "xml");

        Assert.Equal(1, code);
        Assert.Contains("event index 0", stderr);
    }

    [Fact]
    public async Task Inspect_prints_a_row_per_event_with_callsign_type_and_detail_kinds()
    {
        var (code, output, stderr) = await TakcanProcess.RunAsync(AllSamples(), "cot", "inspect");
        var text = Encoding.UTF8.GetString(output);

        Assert.True(code == 0, stderr);
        foreach (var evt in Expected())
        {
            Assert.Contains(evt.Uid, text);
            Assert.Contains(evt.Type, text);
        }

        Assert.Contains("__group", text);
        Assert.Contains($"{SampleFiles.Length} event(s)", text);
    }

    private static List<CotEvent> Decode(byte[] bytes, CotEncoding encoding)
    {
        var decoder = new CotEventDecoder(encoding);
        var results = decoder.Feed(bytes).Concat(decoder.Complete()).ToList();
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        return results.Select(r => r.Event!).ToList();
    }
}
