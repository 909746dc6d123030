using System.Text;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

public sealed class MissionFileNameTests
{
    [Theory]
    [InlineData("ops", "ops")]
    [InlineData("Ops_Night-2", "Ops_Night-2")]
    [InlineData("ops night", "ops%20night")]
    [InlineData("..", "%2E%2E")]
    [InlineData("../../etc", "%2E%2E%2F%2E%2E%2Fetc")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("C:x", "C%3Ax")]
    [InlineData("Straße", "Stra%C3%9Fe")]
    [InlineData("nul\0", "nul%00")]
    public void Every_name_becomes_one_plain_file_name(string mission, string expected)
    {
        Assert.Equal(expected, MissionFileName.For(mission));
    }

    [Fact]
    public void Long_names_are_cut_with_a_hash_and_stay_distinct()
    {
        var a = MissionFileName.For(new string('a', 300));
        var b = MissionFileName.For(new string('a', 299) + "b");
        var escaped = MissionFileName.For(new string('é', 200));

        Assert.True(a.Length <= MissionFileName.MaxLength);
        Assert.NotEqual(a, b);
        Assert.Contains('~', a);
        Assert.True(escaped.Length <= MissionFileName.MaxLength);
        Assert.Matches("^(%[0-9A-F]{2})+~[0-9a-f]{32}$", escaped);
    }

    [Fact]
    public void Distinct_names_give_distinct_file_names()
    {
        string[] names = ["a b", "a%20b", "a_b", "a-b", "A B", "a+b", "a.b", "a%2Eb"];

        Assert.Equal(names.Length, names.Select(MissionFileName.For).Distinct(StringComparer.Ordinal).Count());
        Assert.Throws<MartiException>(() => MissionFileName.For(""));
    }

    [Fact]
    public void Content_hashes_are_sha256_hex_and_verified_against_the_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes("mission file");
        var hash = MartiContentHash.Of(bytes);

        Assert.True(MartiContentHash.IsSha256(hash));
        Assert.True(MartiContentHash.Matches(bytes, hash.ToUpperInvariant()));
        Assert.False(MartiContentHash.Matches("other"u8, hash));
        Assert.False(MartiContentHash.Matches(bytes, "../" + hash[3..]));
        Assert.False(MartiContentHash.IsSha256(hash[..63]));
        Assert.False(MartiContentHash.IsSha256(hash[..63] + "g"));
        Assert.Equal(hash, MartiContentHash.Normalize(hash.ToUpperInvariant()));
        Assert.Throws<MartiException>(() => MartiContentHash.Normalize("/etc/passwd"));
    }
}
