using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TakCan.Protocols.Cot.Json;

namespace TakCan.Protocols.Tests.Cot.Json;

/// <summary>The examples in specs/cot-json.md are what the writer writes, so the spec cannot drift from the code.</summary>
public partial class CotJsonSpecTests
{
    [Fact]
    public void Every_example_in_the_spec_reads_and_is_exactly_what_the_writer_writes()
    {
        var examples = JsonBlock().Matches(File.ReadAllText(SpecPath())).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(2, examples.Count);
        foreach (var example in examples)
        {
            var evt = CotJson.Deserialize(example);
            Assert.Equal(Compact(example), CotJson.Serialize(evt));
        }
    }

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CotJson.WriterOptions)) document.RootElement.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string SpecPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "TakCan.sln")))
                return Path.Combine(directory.FullName, "specs", "cot-json.md");
        throw new FileNotFoundException("TakCan.sln not found above the test binaries");
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
