using System.Text;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

public sealed class MartiMissionsTests
{
    private const string Hash = "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";

    // As TAK Server 5.x answers GET /Marti/api/missions (MissionApi.getAllMissions): Mission with MissionAdd records.
    private const string TakServerList = $$$"""
        {"version":"3","type":"Mission","data":[{
          "name":"ops","description":"Operation north","chatRoom":"","baseLayer":"","bbox":"","path":"","classification":"",
          "tool":"public","keywords":["north","exercise"],"creatorUid":"ANDROID-589520ccfcd20f01","createTime":"2025-11-20T08:15:30.123Z",
          "externalData":[],"feeds":[],"mapLayers":[],"defaultRole":{"type":"MISSION_SUBSCRIBER","permissions":["MISSION_READ"]},
          "inviteOnly":false,"expiration":-1,"guid":"0e1a7c52-6b1b-4a1e-9c55-2f0e1e3a9c11","groups":["__ANON__"],
          "uids":[{"data":"ANDROID-589520ccfcd20f01","timestamp":"2025-11-20T08:16:00.000Z","creatorUid":"ANDROID-589520ccfcd20f01",
                   "details":{"type":"a-f-G-U-C","callsign":"ALPHA","iconsetPath":"COT_MAPPING_2525B/a-f/a-f-G-U-C"}},
                  {"data":"marker-1","timestamp":"2025-11-20T08:17:00.000Z","creatorUid":"ANDROID-589520ccfcd20f01"}],
          "contents":[{"data":{"filename":"route plan.pdf","keywords":["plan"],"mimeType":"application/pdf","name":"route plan.pdf",
                               "submissionTime":"2025-11-20T08:20:00.0Z","submitter":"alice","uid":"9d1c7b5e-0f0a-4e43-a7e3-5b0bd0c7f1a2",
                               "creatorUid":"ANDROID-589520ccfcd20f01","hash":"{{{Hash}}}","size":52344,"tool":"public"},
                       "timestamp":"2025-11-20T08:20:00.000Z","creatorUid":"ANDROID-589520ccfcd20f01"}],
          "passwordProtected":false
        },{"name":"empty","description":"","tool":"public","keywords":[],"creatorUid":"","createTime":"2025-11-21T00:00:00.000Z","uids":[],"contents":[]}],
        "nodeId":"6ff99444fa124679a3943ee90308a44c"}
        """;

    private static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void Reads_tak_servers_mission_list()
    {
        var missions = MartiMissions.ParseList(Utf8(TakServerList));

        Assert.Equal(2, missions.Count);
        var ops = missions[0];
        Assert.Equal(("ops", "Operation north", "ANDROID-589520ccfcd20f01", "public"), (ops.Name, ops.Description, ops.CreatorUid, ops.Tool));
        Assert.Equal(new DateTime(2025, 11, 20, 8, 15, 30, 123, DateTimeKind.Utc), ops.CreateTime);
        Assert.Equal(DateTimeKind.Utc, ops.CreateTime!.Value.Kind);
        Assert.Equal(["north", "exercise"], ops.Keywords);
        Assert.Equal(["ANDROID-589520ccfcd20f01", "marker-1"], ops.Uids);
        Assert.Equal("0e1a7c52-6b1b-4a1e-9c55-2f0e1e3a9c11", ops.Guid);
        Assert.False(ops.PasswordProtected);
        var content = Assert.Single(ops.Contents);
        Assert.Equal(
            new MartiMissionContent(Hash, "route plan.pdf", 52344, "application/pdf")
            {
                Name = "route plan.pdf",
                Uid = "9d1c7b5e-0f0a-4e43-a7e3-5b0bd0c7f1a2",
                CreatorUid = "ANDROID-589520ccfcd20f01",
                SubmissionTime = new DateTime(2025, 11, 20, 8, 20, 0, DateTimeKind.Utc),
                Keywords = ["plan"],
            },
            content);
        Assert.Equal(new MartiMission("empty") { CreatorUid = "", CreateTime = new DateTime(2025, 11, 21, 0, 0, 0, DateTimeKind.Utc), Tool = "public" }, missions[1]);
    }

    [Fact]
    public void Reads_one_mission_by_name_whatever_its_case()
    {
        var mission = MartiMissions.ParseOne(Utf8(TakServerList.Replace("\"name\":\"ops\"", "\"name\":\"OPS\"", StringComparison.Ordinal)), "ops");

        Assert.Equal("OPS", mission.Name);
        Assert.Equal(404, Assert.Throws<MartiException>(() => MartiMissions.ParseOne(Utf8("""{"data":[]}"""), "ops")).StatusCode);
    }

    [Fact]
    public void Reads_plain_uids_bare_resources_and_numbers_written_as_text()
    {
        var json = $$$"""{"data":{"name":"m","uids":["u1",{"data":"u2"},{"nodata":1},7,""],"contents":[{"hash":"{{{Hash}}}","size":"12","filename":null}]}}""";

        var mission = MartiMissions.ParseOne(Utf8(json), "m");

        Assert.Equal(["u1", "u2"], mission.Uids);
        Assert.Equal(new MartiMissionContent(Hash, null, 12), Assert.Single(mission.Contents));
    }

    [Fact]
    public void Fields_of_the_wrong_type_are_left_out_not_guessed()
    {
        var json = """[{"name":"m","description":42,"createTime":"yesterday","keywords":"a,b","creatorUid":{"x":1},"passwordProtected":"maybe","contents":{}}]""";

        var mission = Assert.Single(MartiMissions.ParseList(Utf8(json)));

        Assert.Equal(new MartiMission("m"), mission);
    }

    [Theory]
    [InlineData("""{"data":[{"description":"no name"}]}""", "mission 1 in the server's mission list has no name")]
    [InlineData("""{"data":[{"name":"m","contents":[{"data":{"filename":"x"}}]}]}""", "content 1 of mission 'm' has no hash")]
    [InlineData("""{"data":[{"name":"m","contents":[42]}]}""", "content 1 of mission 'm' is not a JSON object")]
    [InlineData("""{"data":"missions"}""", "is not a list of missions")]
    [InlineData("""{"data":[null]}""", "mission 1 in the server's mission list is not a JSON object")]
    public void Refuses_missions_it_cannot_use(string json, string message)
    {
        var refused = Assert.Throws<MartiException>(() => MartiMissions.ParseList(Utf8(json)));

        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void Refuses_lists_over_the_limits()
    {
        var limits = MartiLimits.Default with { MaxMissions = 2, MaxContents = 2, MaxUids = 2, MaxKeywords = 2 };

        Assert.Contains("3 missions", Assert.Throws<MartiException>(() => MartiMissions.ParseList(Utf8("""[{"name":"a"},{"name":"b"},{"name":"c"}]"""), limits)).Message);
        Assert.Contains("3 uids", Assert.Throws<MartiException>(() => MartiMissions.ParseList(Utf8("""[{"name":"a","uids":["1","2","3"]}]"""), limits)).Message);
        Assert.Contains("3 keywords", Assert.Throws<MartiException>(() => MartiMissions.ParseList(Utf8("""[{"name":"a","keywords":["1","2","3"]}]"""), limits)).Message);
        var contents = "[" + string.Join(",", Enumerable.Repeat($$$"""{"hash":"{{{Hash}}}"}""", 3)) + "]";
        Assert.Contains("3 contents", Assert.Throws<MartiException>(() => MartiMissions.ParseList(Utf8("""[{"name":"a","contents":""" + contents + "}]"), limits)).Message);
    }
}
