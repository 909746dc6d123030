using System.Text;
using System.Text.Json;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

public sealed class MartiGroupsTests
{
    // As TAK Server 5.x answers GET /Marti/api/groups/all?useCache=true (GroupsApi, ApiResponse<Collection<Group>>).
    private const string TakServerAnswer = """
        {"version":"3","type":"com.bbn.marti.remote.groups.Group","data":[
          {"name":"__ANON__","direction":"OUT","created":"2024-03-01","type":"SYSTEM","bitpos":2,"active":true},
          {"name":"__ANON__","direction":"IN","created":"2024-03-01","type":"SYSTEM","bitpos":2,"active":true},
          {"name":"Blue","direction":"OUT","created":"2024-03-01","type":"LDAP","bitpos":5,"active":false,"description":"Blue force","distinguishedName":"cn=Blue,ou=groups"}
        ],"nodeId":"6ff99444fa124679a3943ee90308a44c"}
        """;

    private static IReadOnlyList<MartiGroup> Parse(string json, MartiLimits? limits = null) => MartiGroups.Parse(Encoding.UTF8.GetBytes(json), limits);

    [Fact]
    public void Reads_tak_servers_group_list()
    {
        var groups = Parse(TakServerAnswer);

        Assert.Equal(
            [
                new MartiGroup("__ANON__", MartiGroupDirection.Out, true) { Bitpos = 2, Type = "SYSTEM", Created = "2024-03-01" },
                new MartiGroup("__ANON__", MartiGroupDirection.In, true) { Bitpos = 2, Type = "SYSTEM", Created = "2024-03-01" },
                new MartiGroup("Blue", MartiGroupDirection.Out, false, "Blue force") { Bitpos = 5, Type = "LDAP", Created = "2024-03-01" },
            ],
            groups);
    }

    [Fact]
    public void Reads_a_bare_list_and_fills_what_tak_server_would()
    {
        var groups = Parse("""[{"name":"Red","direction":"in","active":"true"},{"name":"Green","bitpos":"x","active":1}]""");

        Assert.Equal(new MartiGroup("Red", MartiGroupDirection.In, true), groups[0]);
        // No direction: TAK Server makes it OUT; a bitpos of the wrong type is left out; only true is active.
        Assert.Equal(new MartiGroup("Green", MartiGroupDirection.Out, false), groups[1]);
    }

    [Fact]
    public void The_active_body_sends_every_record_back_as_read_with_its_bit()
    {
        var groups = Parse(TakServerAnswer).Select(g => g with { Active = g.Name == "Blue" });

        var json = MartiGroups.ToActiveJson(groups);

        using var document = JsonDocument.Parse(json);
        var blue = document.RootElement[2];
        Assert.Equal(3, document.RootElement.GetArrayLength());
        Assert.Equal(
            """{"name":"Blue","direction":"OUT","created":"2024-03-01","type":"LDAP","bitpos":5,"active":true,"description":"Blue force"}""",
            blue.GetRawText());
        Assert.False(document.RootElement[0].GetProperty("active").GetBoolean());
        Assert.Equal(Parse(TakServerAnswer).Select(g => g with { Active = g.Name == "Blue" }), MartiGroups.Parse(json));
    }

    [Theory]
    [InlineData("""{"data":[{"direction":"OUT","active":true}]}""", "group 1 in the server's group list has no name")]
    [InlineData("""{"data":[{"name":"","direction":"OUT"}]}""", "has no name")]
    [InlineData("""{"data":[{"name":"x","direction":"BOTH"}]}""", "direction 'BOTH'")]
    [InlineData("""{"data":["Blue"]}""", "is not a JSON object")]
    [InlineData("""{"data":{"name":"x"}}""", "is not a list of groups")]
    [InlineData("""{"version":"3","messages":["Access denied"]}""", "the server says: [\"Access denied\"]")]
    [InlineData("<html>Login</html>", "is not JSON")]
    public void Refuses_answers_that_are_not_a_group_list(string json, string message)
    {
        var refused = Assert.Throws<MartiException>(() => Parse(json));

        Assert.Contains(message, refused.Message);
    }

    [Fact]
    public void Refuses_more_groups_than_the_limit()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"name":"g","direction":"OUT"}""", 11)) + "]";

        var refused = Assert.Throws<MartiException>(() => Parse(json, MartiLimits.Default with { MaxGroups = 10 }));

        Assert.Contains("11 groups, more than the 10", refused.Message);
    }
}
