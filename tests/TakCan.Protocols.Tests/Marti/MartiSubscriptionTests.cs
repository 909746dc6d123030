using System.Text;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

public sealed class MartiSubscriptionTests
{
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiI2YmE1IiwiTUlTU0lPTl9OQU1FIjoib3BzIn0.c2lnbmF0dXJl";

    private static MartiSubscription Parse(string json, MartiLimits? limits = null) => MartiSubscription.Parse(Encoding.UTF8.GetBytes(json), limits);

    [Fact]
    public void Reads_the_token_role_and_mission_of_tak_servers_answer()
    {
        // MissionApi.createMissionSubscription, API 3+: ApiResponse<MissionSubscription> with the mission.
        var subscription = Parse($$$"""
            {"version":"3","type":"com.bbn.marti.sync.model.MissionSubscription","data":{
              "token":"{{{Token}}}","mission":{"name":"ops","description":"","uids":[],"contents":[]},
              "clientUid":"ANDROID-1","username":"alice","createTime":"2025-11-27T10:00:00.1Z",
              "role":{"type":"MISSION_SUBSCRIBER","permissions":["MISSION_WRITE","MISSION_READ"]}},"nodeId":"x"}
            """);

        Assert.Equal((Token, "ANDROID-1", "alice", "MISSION_SUBSCRIBER"), (subscription.Token, subscription.ClientUid, subscription.Username, subscription.Role));
        Assert.Equal("ops", subscription.Mission?.Name);
        Assert.Equal(new DateTime(2025, 11, 27, 10, 0, 0, 100, DateTimeKind.Utc), subscription.CreateTime);
    }

    [Fact]
    public void The_token_never_appears_in_text()
    {
        var subscription = Parse($$$"""{"data":{"token":"{{{Token}}}","clientUid":"ANDROID-1"}}""");

        Assert.DoesNotContain(Token, subscription.ToString());
        Assert.Contains("Token = ***", subscription.ToString());
    }

    [Theory]
    [InlineData("""{"data":{"clientUid":"x"}}""", "has no token")]
    [InlineData("""{"data":{"token":""}}""", "has no token")]
    [InlineData("""{"data":{"token":42}}""", "has no token")]
    [InlineData("""{"data":{"token":"abc\r\nSet-Cookie: x=1"}}""", "characters an HTTP header cannot carry")]
    [InlineData("""{"data":{"token":"two words"}}""", "characters an HTTP header cannot carry")]
    [InlineData("""{"data":{"token":"caf\u00e9"}}""", "characters an HTTP header cannot carry")]
    [InlineData("""{"data":["token"]}""", "not a JSON object with a token")]
    public void Refuses_a_missing_token_or_one_that_could_not_travel_in_a_header(string json, string message)
    {
        Assert.Contains(message, Assert.Throws<MartiException>(() => Parse(json)).Message);
    }

    [Fact]
    public void Refuses_a_token_over_the_limit()
    {
        var refused = Assert.Throws<MartiException>(() => Parse($$$"""{"data":{"token":"{{{new string('a', 101)}}}"}}""", MartiLimits.Default with { MaxTokenLength = 100 }));

        Assert.Contains("101 characters, more than the 100", refused.Message);
    }
}
