using System.Buffers.Binary;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Protocols.Tests.Mesh.Keys;

public class MissionKeyTests
{
    internal static readonly byte[] VectorKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    internal static readonly DateTime Expiry = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Purposes = [MissionKey.AuthPurpose, MissionKey.LinkPurpose, MissionKey.GroupPurpose, MissionKey.BeaconPurpose];

    internal static MissionKey VectorMissionKey() => new(VectorKey, "Alpha Team", "Dark Blue", 3, Expiry);

    [Fact]
    public void Hkdf_matches_rfc5869_test_case_1()
    {
        var okm = MissionKey.Hkdf(
            Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
            Convert.FromHexString("000102030405060708090a0b0c"),
            Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9"),
            42);
        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Convert.ToHexStringLower(okm));
    }

    [Fact]
    public void Derived_keys_match_bouncy_castle_hkdf()
    {
        var key = MissionKey.Generate("Alpha", "Cyan", 3, Expiry);
        foreach (var purpose in Purposes)
            Assert.Equal(BouncyCastleHkdf(key.Key.ToArray(), "takcan/v1/" + purpose, 32), key.Derive(purpose));
        Assert.Equal(BouncyCastleHkdf(key.Key.ToArray(), "takcan/v1/group", 16), key.Derive("group", 16));
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(BouncyCastleHkdf(key.Key.ToArray(), "key-id", 2)), key.KeyId);
    }

    [Fact]
    public void Fixed_key_gives_the_spec_vectors()
    {
        // Values computed independently (Python hmac/hashlib HKDF); listed in specs/mesh-keys.md.
        var key = VectorMissionKey();
        Assert.Equal(0x26d0, key.KeyId);
        Assert.Equal("26d0", MissionKey.FormatKeyId(key.KeyId));
        Assert.Equal("d7eab4ae3749adbba33d5c1621e769a1b559f7e976c979d5e691df908f7577af", Convert.ToHexStringLower(key.Derive("auth")));
        Assert.Equal("abd8ff7ffeeb2ff1ebf9d047259183ff4d461d44a1cd7f48a80b0d888c7d6c06", Convert.ToHexStringLower(key.Derive("link")));
        Assert.Equal("ec113ac1579f5c00071ed5c084277f82f9948bbde91b9bad3c7da9b4751f66e2", Convert.ToHexStringLower(key.Derive("group")));
        Assert.Equal("62fa825cdc6cd37a0886d12513a9d47f161f01f595735e92161a66169d3e85a1", Convert.ToHexStringLower(key.Derive("beacon")));
    }

    [Fact]
    public void Every_purpose_gets_its_own_key()
    {
        var key = MissionKey.Generate("Alpha", "Cyan", 3, Expiry);
        var all = Purposes.Select(p => Convert.ToHexString(key.Derive(p))).Append(Convert.ToHexString(key.Key.Span)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.NotEqual(key.Derive("group"), MissionKey.Generate("Alpha", "Cyan", 3, Expiry).Derive("group"));
    }

    [Theory]
    [InlineData("cyan", "Cyan")]
    [InlineData("DARK BLUE", "Dark Blue")]
    [InlineData("dark green", "Dark Green")]
    [InlineData("Maroon", "Maroon")]
    public void Team_is_read_in_any_case_and_stored_canonically(string given, string stored) =>
        Assert.Equal(stored, MissionKey.Generate("Alpha", given, 3, Expiry).Team);

    [Fact]
    public void There_are_the_fourteen_atak_teams() => Assert.Equal(14, MissionKey.Teams.Count);

    [Theory]
    [InlineData("Pink")]
    [InlineData("DarkBlue")]
    [InlineData("")]
    public void Unknown_team_is_refused_with_the_list(string team)
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKey.Generate("Alpha", team, 3, Expiry));
        Assert.Contains("Dark Blue", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void Hops_outside_one_to_five_are_refused(int hops)
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKey.Generate("Alpha", "Cyan", hops, Expiry));
        Assert.Contains("1 to 5", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Hops_one_and_five_are_fine(int hops) => Assert.Equal(hops, MissionKey.Generate("Alpha", "Cyan", hops, Expiry).MaxHops);

    [Theory]
    [InlineData("")]
    [InlineData(" Alpha")]
    [InlineData("Alpha ")]
    [InlineData("Al\npha")]
    public void Bad_mission_names_are_refused(string mission) =>
        Assert.Throws<MissionKeyException>(() => MissionKey.Generate(mission, "Cyan", 3, Expiry));

    [Fact]
    public void A_mission_name_with_a_lone_surrogate_is_refused() =>
        Assert.Throws<MissionKeyException>(() => MissionKey.Generate(new string(['A', (char)0xD800, 'x']), "Cyan", 3, Expiry));

    [Fact]
    public void Mission_name_is_at_most_64_characters()
    {
        Assert.Equal(64, MissionKey.Generate(new string('a', 64), "Cyan", 3, Expiry).Mission.Length);
        Assert.Throws<MissionKeyException>(() => MissionKey.Generate(new string('a', 65), "Cyan", 3, Expiry));
    }

    [Fact]
    public void Key_must_be_32_bytes()
    {
        var e = Assert.Throws<MissionKeyException>(() => new MissionKey(new byte[31], "Alpha", "Cyan", 3, Expiry));
        Assert.Contains("32 bytes", e.Message);
    }

    [Fact]
    public void Expiry_is_kept_in_whole_utc_seconds()
    {
        var key = MissionKey.Generate("Alpha", "Cyan", 3, Expiry.AddMilliseconds(999));
        Assert.Equal(Expiry, key.Expires);
        Assert.Equal(DateTimeKind.Utc, key.Expires.Kind);
        Assert.False(key.IsExpired(Expiry.AddTicks(-1)));
        Assert.True(key.IsExpired(Expiry));
    }

    [Fact]
    public void Rotation_keeps_the_old_key_for_the_grace_window()
    {
        var now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var old = MissionKey.Generate("Alpha", "Cyan", 4, Expiry);
        var rotated = old.Rotate(now, TimeSpan.FromHours(24));

        Assert.False(rotated.Key.Span.SequenceEqual(old.Key.Span));
        Assert.True(rotated.Previous!.Value.Span.SequenceEqual(old.Key.Span));
        Assert.Equal(old.KeyId, rotated.PreviousKeyId);
        Assert.NotEqual(old.KeyId, rotated.KeyId);
        Assert.Equal(now.AddHours(24), rotated.PreviousValidUntil);
        Assert.Equal((old.Mission, old.Team, old.MaxHops, old.Expires), (rotated.Mission, rotated.Team, rotated.MaxHops, rotated.Expires));

        var during = rotated.ActiveKeys(now.AddHours(23)).ToList();
        Assert.Equal([rotated.KeyId, old.KeyId], during.Select(k => k.KeyId));
        Assert.Equal(old.Key.ToArray(), during[1].Key);
        Assert.Equal([rotated.KeyId], rotated.ActiveKeys(now.AddHours(24)).Select(k => k.KeyId));
        Assert.Empty(rotated.ActiveKeys(Expiry));
    }

    [Fact]
    public void A_second_rotation_drops_the_oldest_key()
    {
        var now = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var first = MissionKey.Generate("Alpha", "Cyan", 3, Expiry);
        var second = first.Rotate(now, TimeSpan.FromHours(1));
        var third = second.Rotate(now.AddMinutes(1), TimeSpan.FromHours(1));
        Assert.Equal(second.KeyId, third.PreviousKeyId);
        var active = third.ActiveKeys(now.AddMinutes(2)).ToList();
        Assert.Equal([third.KeyId, second.KeyId], active.Select(k => k.KeyId));
        Assert.DoesNotContain(active, k => k.Key.AsSpan().SequenceEqual(first.Key.Span));
    }

    [Fact]
    public void Grace_never_outlasts_the_mission_key()
    {
        var now = Expiry.AddHours(-2);
        var rotated = MissionKey.Generate("Alpha", "Cyan", 3, Expiry).Rotate(now, TimeSpan.FromDays(365));
        Assert.Equal(Expiry, rotated.PreviousValidUntil);
    }

    [Fact]
    public void An_expired_key_is_not_rotated()
    {
        var e = Assert.Throws<MissionKeyException>(() => MissionKey.Generate("Alpha", "Cyan", 3, Expiry).Rotate(Expiry.AddDays(1), TimeSpan.FromHours(1)));
        Assert.Contains("2027-01-01", e.Message);
        Assert.Contains("takcan key new", e.Message);
    }

    [Fact]
    public void Previous_key_needs_its_grace_end()
    {
        Assert.Throws<MissionKeyException>(() => new MissionKey(VectorKey, "Alpha", "Cyan", 3, Expiry, new byte[32], null));
        Assert.Throws<MissionKeyException>(() => new MissionKey(VectorKey, "Alpha", "Cyan", 3, Expiry, [], Expiry));
        Assert.Throws<MissionKeyException>(() => new MissionKey(VectorKey, "Alpha", "Cyan", 3, Expiry, VectorKey, Expiry));
    }

    [Fact]
    public void ToString_never_shows_the_key()
    {
        var key = VectorMissionKey();
        var text = key.ToString();
        Assert.Contains("Alpha Team", text);
        Assert.Contains("26d0", text);
        Assert.DoesNotContain(Convert.ToBase64String(VectorKey), text);
        Assert.DoesNotContain(Convert.ToHexString(VectorKey), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Keys_compare_by_value()
    {
        Assert.Equal(VectorMissionKey(), VectorMissionKey());
        Assert.Equal(VectorMissionKey().GetHashCode(), VectorMissionKey().GetHashCode());
        var other = VectorKey.ToArray();
        other[0] ^= 1;
        Assert.NotEqual(VectorMissionKey(), new MissionKey(other, "Alpha Team", "Dark Blue", 3, Expiry));
    }

    [Fact]
    public void Active_keys_are_copies()
    {
        var key = VectorMissionKey();
        var (_, bytes) = key.ActiveKeys(Expiry.AddDays(-1)).Single();
        bytes[0] ^= 0xFF;
        Assert.Equal(VectorKey, key.Key.ToArray());
    }

    private static byte[] BouncyCastleHkdf(byte[] ikm, string info, int length)
    {
        var generator = new HkdfBytesGenerator(new Sha256Digest());
        generator.Init(new HkdfParameters(ikm, Encoding.UTF8.GetBytes("TAKCan mesh v1"), Encoding.UTF8.GetBytes(info)));
        var okm = new byte[length];
        generator.GenerateBytes(okm, 0, length);
        return okm;
    }
}
