using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Protocols.Tests.Mesh.Keys;

public class MissionKeyFileTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Round_trip_without_previous_key()
    {
        var key = MissionKey.Generate("Übung Nord", "dark green", 2, MissionKeyTests.Expiry);
        Assert.Equal(key, MissionKeyFile.Read(MissionKeyFile.Write(key)));
    }

    [Fact]
    public void Round_trip_with_previous_key()
    {
        var key = MissionKey.Generate("Alpha", "Cyan", 3, MissionKeyTests.Expiry).Rotate(Now, TimeSpan.FromHours(24));
        var read = MissionKeyFile.Read(MissionKeyFile.Write(key));
        Assert.Equal(key, read);
        Assert.Equal(key.PreviousKeyId, read.PreviousKeyId);
        Assert.Equal(Now.AddHours(24), read.PreviousValidUntil);
    }

    [Fact]
    public void Hand_edited_files_with_a_bom_or_times_without_milliseconds_read()
    {
        var json = JsonNode.Parse(MissionKeyFile.Write(MissionKeyTests.VectorMissionKey()))!.AsObject();
        json["expires"] = "2027-01-01T00:00:00Z";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(json.ToJsonString())).ToArray();
        Assert.Equal(MissionKeyTests.VectorMissionKey(), MissionKeyFile.Read(bytes));
    }

    [Fact]
    public void Layout_is_as_specified()
    {
        var json = JsonNode.Parse(MissionKeyFile.Write(MissionKeyTests.VectorMissionKey()))!.AsObject();
        Assert.Equal(
            ["format", "version", "mission", "team", "maxHops", "expires", "key", "keyId"],
            json.Select(p => p.Key));
        Assert.Equal("takcan-mission-key", (string?)json["format"]);
        Assert.Equal(1, (int?)json["version"]);
        Assert.Equal("Alpha Team", (string?)json["mission"]);
        Assert.Equal("Dark Blue", (string?)json["team"]);
        Assert.Equal(3, (int?)json["maxHops"]);
        Assert.Equal("2027-01-01T00:00:00.000Z", (string?)json["expires"]);
        Assert.Equal(Convert.ToBase64String(MissionKeyTests.VectorKey), (string?)json["key"]);
        Assert.Equal("26d0", (string?)json["keyId"]);

        var rotated = JsonNode.Parse(MissionKeyFile.Write(MissionKeyTests.VectorMissionKey().Rotate(Now, TimeSpan.FromHours(1))))!.AsObject();
        Assert.Equal("26d0", (string?)rotated["previousKeyId"]);
        Assert.Equal(Convert.ToBase64String(MissionKeyTests.VectorKey), (string?)rotated["previousKey"]);
        Assert.Equal("2026-06-01T13:00:00.000Z", (string?)rotated["previousValidUntil"]);
    }

    [Fact]
    public void A_changed_key_is_caught_by_its_key_id()
    {
        var changed = MissionKeyTests.VectorKey.ToArray();
        changed[5] ^= 0x10;
        var e = Refused(json => json["key"] = Convert.ToBase64String(changed));
        Assert.Contains("keyId '26d0' does not belong to its key", e.Message);
    }

    [Fact]
    public void A_changed_key_id_is_refused() => Refused(json => json["keyId"] = "26d1");

    [Fact]
    public void A_changed_previous_key_id_is_refused()
    {
        var rotated = MissionKeyTests.VectorMissionKey().Rotate(Now, TimeSpan.FromHours(1));
        var e = Refused(json => json["previousKeyId"] = "0000", rotated);
        Assert.Contains("previousKeyId", e.Message);
    }

    [Theory]
    [InlineData("maxHops", 9)]
    [InlineData("maxHops", 0)]
    [InlineData("version", 2)]
    public void Out_of_range_numbers_are_refused(string field, int value) => Refused(json => json[field] = value);

    [Theory]
    [InlineData("format", "something-else")]
    [InlineData("team", "Pink")]
    [InlineData("mission", "")]
    [InlineData("expires", "next tuesday")]
    [InlineData("expires", "2027-01-01T00:00:00.000+01:00")]
    [InlineData("key", "AAAA")]
    [InlineData("key", "not base64!")]
    public void Bad_strings_are_refused(string field, string value) => Refused(json => json[field] = value);

    [Theory]
    [InlineData("format")]
    [InlineData("mission")]
    [InlineData("team")]
    [InlineData("maxHops")]
    [InlineData("expires")]
    [InlineData("key")]
    [InlineData("keyId")]
    public void Missing_fields_are_refused(string field)
    {
        var e = Refused(json => json.Remove(field));
        if (field != "format") Assert.Contains($"'{field}' is missing", e.Message);
    }

    [Fact]
    public void Unknown_fields_are_refused() => Refused(json => json["extra"] = 1);

    [Fact]
    public void Previous_fields_go_together()
    {
        var rotated = MissionKeyTests.VectorMissionKey().Rotate(Now, TimeSpan.FromHours(1));
        Refused(json => json.Remove("previousValidUntil"), rotated);
        Refused(json => json.Remove("previousKey"), rotated);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"format\":\"takcan-mission-key\",")]
    public void Non_key_files_are_refused(string text) =>
        Assert.Throws<MissionKeyException>(() => MissionKeyFile.Read(Encoding.UTF8.GetBytes(text)));

    private static MissionKeyException Refused(Action<JsonObject> tamper, MissionKey? key = null)
    {
        var json = JsonNode.Parse(MissionKeyFile.Write(key ?? MissionKeyTests.VectorMissionKey()))!.AsObject();
        tamper(json);
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return Assert.Throws<MissionKeyException>(() => MissionKeyFile.Read(bytes));
    }
}
