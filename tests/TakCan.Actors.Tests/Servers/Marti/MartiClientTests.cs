using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Protocols.MartiApi;
using static TakCan.Actors.Tests.Servers.MartiApi.MartiTestData;

namespace TakCan.Actors.Tests.Servers.MartiApi;

/// <summary>The Marti API client against a fake TAK Server on HTTPS with client certificates: channels, missions, refusals.</summary>
public sealed class MartiClientTests
{
    [Fact]
    public async Task Lists_the_channels_of_the_certificate_with_both_directions_and_active_bits()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server);

        var groups = await client.ListGroupsAsync();

        Assert.Equal(5, groups.Count);
        Assert.Contains(new MartiGroup("Blue", MartiGroupDirection.In, false, "Blue team") { Bitpos = 5, Type = "SYSTEM", Created = "2025-01-01" }, groups);
        Assert.True(groups.Single(g => g is { Name: "Red" }).Active);
        var request = Assert.Single(server.Requests);
        Assert.Equal(("GET", "/Marti/api/groups/all?useCache=true", "application/json"), (request.Method, request.PathAndQuery, request.Accept));
        Assert.Equal(Pki.Client.Thumbprint, request.ClientThumbprint);
    }

    [Fact]
    public async Task Setting_channels_sends_every_record_back_with_the_wanted_bits_and_reads_the_result()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server);
        var channels = new ChannelsService(client, ClientUid);

        var after = await channels.SetActiveAsync(["Blue", "__ANON__"]);

        Assert.Equal(["Blue", "__ANON__"], after.Where(g => g.Active).Select(g => g.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.All(after.Where(g => g.Name == "Blue"), g => Assert.True(g.Active));
        Assert.False(after.Single(g => g.Name == "Red").Active);
        var put = Assert.Single(server.Requests, r => r.Method == "PUT");
        Assert.Equal($"/Marti/api/groups/active?clientUid={ClientUid}", put.PathAndQuery);
        using var body = JsonDocument.Parse(put.Body);
        Assert.Equal(5, body.RootElement.GetArrayLength());
        var blueIn = body.RootElement.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Blue" && g.GetProperty("direction").GetString() == "IN");
        Assert.True(blueIn.GetProperty("active").GetBoolean());
        Assert.Equal(5, blueIn.GetProperty("bitpos").GetInt32());
        Assert.Equal("SYSTEM", blueIn.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unknown_channel_is_refused_before_anything_is_changed()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server);

        var refused = await Assert.ThrowsAsync<MartiException>(() => new ChannelsService(client).SetActiveAsync(["Green"]));

        Assert.Contains("'Green'", refused.Message);
        Assert.Contains("Blue, Red, __ANON__", refused.Message);
        Assert.DoesNotContain(server.Requests, r => r.Method == "PUT");
        await Assert.ThrowsAsync<MartiException>(() => new ChannelsService(client).SetActiveAsync([]));
    }

    [Fact]
    public async Task Lists_missions_and_reads_one_with_its_uids_and_contents()
    {
        await using var server = await FakeMartiApi.StartAsync();
        server.AddMission("ops", [Sa("uid-a", "ALPHA"), Sa("uid-b", "BRAVO")], ("plan.pdf", "the plan"u8.ToArray()));
        server.AddMission("exercise bravo", []);
        using var client = Client(server);

        var missions = await client.ListMissionsAsync();
        var ops = await client.GetMissionAsync("ops");
        var spaced = await client.GetMissionAsync("exercise bravo");

        Assert.Equal(["exercise bravo", "ops"], missions.Select(m => m.Name));
        Assert.Equal(("ops mission", "ANDROID-creator", "public"), (ops.Description, ops.CreatorUid, ops.Tool));
        Assert.Equal(new DateTime(2025, 11, 27, 9, 30, 0, DateTimeKind.Utc), ops.CreateTime);
        Assert.Equal(["uid-0", "uid-1"], ops.Uids);
        var content = Assert.Single(ops.Contents);
        Assert.Equal(("plan.pdf", 8L, MartiContentHash.Of("the plan"u8)), (content.Filename, content.Size, content.Hash));
        Assert.Equal("exercise bravo", spaced.Name);
        Assert.Contains(server.Requests, r => r.PathAndQuery == "/Marti/api/missions/exercise%20bravo");
    }

    [Fact]
    public async Task A_missing_mission_is_a_404_refusal()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server);

        var refused = await Assert.ThrowsAsync<MartiException>(() => client.GetMissionAsync("nowhere"));

        Assert.Equal(404, refused.StatusCode);
        Assert.Contains("mission 'nowhere'", refused.Message);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task A_dot_segment_mission_name_is_refused_without_a_request(string name)
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server);

        // As a path segment it would be resolved away, and the request (with the token) would reach another endpoint.
        var refused = await Assert.ThrowsAsync<MartiException>(() => client.GetMissionCotAsync(name, "eyJ.token"));

        Assert.Contains("not a mission name", refused.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Subscribing_gives_a_token_and_mission_cot_needs_it_in_the_MissionAuthorization_header()
    {
        await using var server = await FakeMartiApi.StartAsync();
        server.AddMission("ops", [Sa("uid-a", "ALPHA"), Unescaped, Sa("uid-b", "BRAVO")]);
        using var client = Client(server);

        var withoutToken = await Assert.ThrowsAsync<MartiException>(() => client.GetMissionCotAsync("ops", null));
        var subscription = await client.SubscribeAsync("ops", ClientUid);
        var cot = await client.GetMissionCotAsync("ops", subscription.Token);

        Assert.Equal(403, withoutToken.StatusCode);
        Assert.Equal((ClientUid, "MISSION_SUBSCRIBER", "ops"), (subscription.ClientUid, subscription.Role, subscription.Mission?.Name));
        Assert.DoesNotContain(subscription.Token, subscription.ToString());
        Assert.Equal(["ALPHA", "BRAVO"], cot.Events.Select(e => e.Detail.Contact!.Callsign));
        Assert.Equal(1, cot.BadEvents);
        Assert.Contains(server.Requests, r => r.PathAndQuery == $"/Marti/api/missions/ops/subscription?uid={ClientUid}" && r.Method == "PUT");
        var get = server.RequestsTo("/Marti/api/missions/ops/cot").Last();
        Assert.Equal("Bearer " + subscription.Token, get.MissionAuthorization);
        Assert.Equal("application/xml", get.Accept);
    }

    [Fact]
    public async Task Fetches_content_by_hash_within_the_size_limit()
    {
        await using var server = await FakeMartiApi.StartAsync();
        var big = new byte[4096];
        server.AddMission("ops", [], ("small.txt", "small"u8.ToArray()), ("big.bin", big));
        using var client = Client(server, options: new MartiClientOptions { Limits = MartiLimits.Default with { MaxContentBytes = 1024 } });

        var small = await client.GetContentAsync(MartiContentHash.Of("small"u8).ToUpperInvariant());
        var refused = await Assert.ThrowsAsync<MartiException>(() => client.GetContentAsync(MartiContentHash.Of(big)));

        Assert.Equal("small"u8.ToArray(), small);
        Assert.Contains("more than the 1024", refused.Message);
        Assert.Contains(server.Requests, r => r.PathAndQuery == $"/Marti/sync/content?hash={MartiContentHash.Of("small"u8)}");
        await Assert.ThrowsAsync<MartiException>(() => client.GetContentAsync("../../etc/passwd"));
    }

    [Fact]
    public async Task A_server_whose_certificate_does_not_chain_to_the_configured_CA_is_refused()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server, ca: Pki.RogueCa);

        var refused = await Assert.ThrowsAsync<MartiException>(() => client.ListGroupsAsync());

        Assert.StartsWith($"TAK Can does not trust 127.0.0.1:{server.Port}: its certificate", refused.Message);
        Assert.Contains("does not chain to the configured CA", refused.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_server_certificate_from_another_CA_or_for_another_host_is_refused()
    {
        await using var rogue = await FakeMartiApi.StartAsync(Pki.RogueServer);
        await using var elsewhere = await FakeMartiApi.StartAsync(Pki.WrongHostServer);
        using var rogueClient = Client(rogue);
        using var elsewhereClient = Client(elsewhere);

        var notChained = await Assert.ThrowsAsync<MartiException>(() => rogueClient.ListMissionsAsync());
        var wrongHost = await Assert.ThrowsAsync<MartiException>(() => elsewhereClient.ListMissionsAsync());

        Assert.Contains("does not chain to the configured CA", notChained.Message);
        Assert.Contains("is not issued for '127.0.0.1'", wrongHost.Message);
    }

    [Fact]
    public async Task The_server_refuses_a_client_certificate_from_an_unknown_CA()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var client = Client(server, client: Pki.RogueClient);

        var refused = await Assert.ThrowsAsync<MartiException>(() => client.ListGroupsAsync());

        Assert.Contains($"127.0.0.1:{server.Port}", refused.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Without_a_client_certificate_nothing_is_served()
    {
        await using var server = await FakeMartiApi.StartAsync();
        using var noKey = X509CertificateLoader.LoadCertificate(Pki.Client.RawData);

        Assert.Throws<ArgumentException>(() => Client(server, client: noKey));
        Assert.Throws<ArgumentException>(() => new MartiClient(new Uri($"http://127.0.0.1:{server.Port}/"), Pki.Client, [Pki.Ca]));
        Assert.Throws<ArgumentException>(() => new MartiClient(server.BaseUri, Pki.Client, []));

        // The fake requires a certificate as TAK Server does: a client that has none gets nothing.
        using var bare = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Pki.Server.GetCertHashString() },
        });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => bare.GetStringAsync(new Uri(server.BaseUri, "Marti/api/missions")));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Answers_that_are_not_what_TAK_Server_sends_are_refused_with_a_reason()
    {
        await using var server = await FakeMartiApi.StartAsync();
        server.Groups.Add(new FakeGroup("Odd", "SIDEWAYS", 9, true));
        using var client = Client(server, options: new MartiClientOptions { Limits = MartiLimits.Default with { MaxGroups = 100 } });

        var refused = await Assert.ThrowsAsync<MartiException>(() => client.ListGroupsAsync());

        Assert.Contains("direction 'SIDEWAYS'", refused.Message);
        Assert.Null(refused.StatusCode);
    }
}
