using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Protocols.Tests.Mesh.Keys;

public class MissionKeyUriTests
{
    private const string VectorUri =
        "takcan://mission?v=1&m=Alpha%20Team&t=Dark%20Blue&h=3&x=1798761600&k=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8&c=c5b056f4";

    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    // Every character a value can hold, plus a few a damaged code might show.
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~% +/";

    [Fact]
    public void Fixed_key_gives_the_spec_uri()
    {
        // Check value computed independently (Python hashlib); listed in specs/mesh-keys.md.
        Assert.Equal(VectorUri, MissionKeyUri.Format(MissionKeyTests.VectorMissionKey()));
        Assert.Equal("c5b056f4", MissionKeyUri.Check(MissionKeyTests.VectorMissionKey()));
    }

    [Fact]
    public void Round_trip_gives_the_same_key()
    {
        var key = MissionKey.Generate("Übung Nord & Süd", "teal", 5, new DateTime(2026, 12, 24, 18, 30, 15, DateTimeKind.Utc));
        var uri = MissionKeyUri.Format(key);
        Assert.Contains("m=%C3%9Cbung%20Nord%20%26%20S%C3%BCd&", uri);
        Assert.Equal(key, MissionKeyUri.Parse(uri, Now));
    }

    [Fact]
    public void The_uri_shares_the_current_key_only()
    {
        var rotated = MissionKey.Generate("Alpha", "Cyan", 3, MissionKeyTests.Expiry).Rotate(Now, TimeSpan.FromHours(24));
        var parsed = MissionKeyUri.Parse(MissionKeyUri.Format(rotated), Now);
        Assert.Equal(rotated.KeyId, parsed.KeyId);
        Assert.Null(parsed.Previous);
    }

    [Fact]
    public void Parameters_may_come_in_any_order()
    {
        var query = VectorUri[MissionKeyUri.Prefix.Length..].Split('&').Reverse();
        Assert.Equal(MissionKeyTests.VectorMissionKey(), MissionKeyUri.Parse(MissionKeyUri.Prefix + string.Join('&', query), Now));
    }

    [Fact]
    public void Surrounding_whitespace_and_scheme_case_are_forgiven() =>
        Assert.Equal(MissionKeyTests.VectorMissionKey(), MissionKeyUri.Parse("  TAKCAN://MISSION?" + VectorUri[MissionKeyUri.Prefix.Length..] + "\n", Now));

    [Theory]
    [InlineData("m")]
    [InlineData("t")]
    [InlineData("h")]
    [InlineData("x")]
    [InlineData("k")]
    public void Every_single_character_corruption_is_refused(string parameter)
    {
        var (before, value, after) = SplitAt(VectorUri, parameter);
        var tried = 0;
        for (var i = 0; i < value.Length; i++)
        {
            foreach (var replacement in Alphabet.Where(c => c != value[i]))
            {
                AssertRefusedAsDamaged(before + value[..i] + replacement + value[(i + 1)..] + after);
                tried++;
            }

            AssertRefusedAsDamaged(before + value[..i] + value[(i + 1)..] + after);
            AssertRefusedAsDamaged(before + value[..i] + "A" + value[i..] + after);
        }

        Assert.True(tried > value.Length * 60);
    }

    [Fact]
    public void Wrong_check_is_refused()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(VectorUri[..^8] + "c5b056f5", Now));
        Assert.Equal(MissionKeyUri.WrongCheckMessage, e.Message);
        Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(VectorUri[..^8] + "C5B056F4", Now));
    }

    [Fact]
    public void Missing_check_is_refused()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(VectorUri[..VectorUri.IndexOf("&c=", StringComparison.Ordinal)], Now));
        Assert.Contains("no check value", e.Message);
    }

    [Fact]
    public void Expired_key_is_refused_with_its_date()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(VectorUri, MissionKeyTests.Expiry.AddSeconds(1)));
        Assert.Contains("expired", e.Message);
        Assert.Contains("2027-01-01", e.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    public void Hops_out_of_range_are_refused_even_with_a_good_check(string hops)
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(Build(h: hops), Now));
        Assert.Contains("1 to 5", e.Message);
    }

    [Fact]
    public void A_well_formed_code_parses() => Assert.Equal(MissionKeyTests.VectorMissionKey(), MissionKeyUri.Parse(Build(), Now));

    [Theory]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh")]   // 31 bytes and a bit
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")] // padding
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9")]  // stray bits in the last character
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+8")]  // not base64url
    public void Bad_key_encoding_is_refused_even_with_a_good_check(string k)
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(Build(k: k), Now));
        Assert.Contains("not 32 bytes of base64url", e.Message);
    }

    [Fact]
    public void Unknown_team_is_refused_even_with_a_good_check()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(Build(t: "Pink"), Now));
        Assert.Contains("unknown team 'Pink'", e.Message);
    }

    [Fact]
    public void Team_in_another_case_is_read_canonically() => Assert.Equal("Dark Blue", MissionKeyUri.Parse(Build(t: "dark%20blue"), Now).Team);

    [Fact]
    public void Unknown_version_is_refused()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(VectorUri.Replace("v=1", "v=2", StringComparison.Ordinal), Now));
        Assert.Contains("version '2'", e.Message);
    }

    [Theory]
    [InlineData("https://example.com/?v=1")]
    [InlineData("takcan://mission?")]
    [InlineData("takcan://mission?v=1&m=Alpha&t=Cyan&h=3&x=1798761600&c=00000000")]
    [InlineData("takcan://mission?v=1&v=1&m=Alpha&t=Cyan&h=3&x=1798761600&k=AA&c=00000000")]
    [InlineData("takcan://mission?v=1&m=Alpha&t=Cyan&h=3&x=1798761600&k=AA&c=00000000&z=1")]
    public void Incomplete_or_foreign_codes_are_refused(string uri) =>
        Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(uri, Now));

    [Theory]
    [InlineData("03")]
    [InlineData("+3")]
    public void Numbers_have_one_spelling(string hops) =>
        Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(Build(h: hops), Now));

    private static string Build(string m = "Alpha%20Team", string t = "Dark%20Blue", string h = "3", string x = "1798761600",
        string k = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
    {
        var canonical = MissionKeyUri.Canonical(m, t, h, x, k);
        return $"{MissionKeyUri.Prefix}{canonical}&c={MissionKeyUri.ComputeCheck(canonical)}";
    }

    private static (string Before, string Value, string After) SplitAt(string uri, string parameter)
    {
        var start = uri.IndexOf("&" + parameter + "=", StringComparison.Ordinal) + parameter.Length + 2;
        var end = uri.IndexOf('&', start);
        return (uri[..start], uri[start..end], uri[end..]);
    }

    private static void AssertRefusedAsDamaged(string uri)
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKeyUri.Parse(uri, Now));
        Assert.Equal(MissionKeyUri.WrongCheckMessage, e.Message);
    }
}
