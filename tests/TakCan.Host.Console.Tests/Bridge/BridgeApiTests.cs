using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using TakCan.Host.Console.Tests.Api;

namespace TakCan.Host.Console.Tests.Bridge;

/// <summary><c>/api/bridge</c> in front of a real bridge, and of a node with bridge mode off (specs/bridge.md, "Local API and CLI").</summary>
public sealed class BridgeApiTests
{
    private static readonly string Alice = BridgeApiHarness.AliceNode.ToString();

    [Fact]
    public async Task Status_shows_the_bridged_server_and_an_onboarded_peer()
    {
        await using var h = await BridgeApiHarness.StartAsync();
        h.Onboard(BridgeApiHarness.AliceNode, BridgeApiHarness.AliceUid, BridgeApiHarness.Alice);

        using var response = await h.Http.GetAsync("api/bridge");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHarness.BodyAsync(response);
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Equal(BridgeApiHarness.BridgeNode.ToString(), body.GetProperty("node").GetString());
        var server = Assert.Single(body.GetProperty("servers").EnumerateArray());
        Assert.Equal("ops", server.GetProperty("name").GetString());
        Assert.True(server.GetProperty("active").GetBoolean());
        Assert.True(server.GetProperty("onboarding").GetBoolean());
        var peer = Assert.Single(body.GetProperty("peers").EnumerateArray());
        Assert.Equal(Alice, peer.GetProperty("node").GetString());
        Assert.Equal(BridgeApiHarness.AliceUid, peer.GetProperty("uid").GetString());
        Assert.Equal(BridgeApiHarness.Alice.Subject, peer.GetProperty("subject").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(BridgeApiHarness.Alice.RawData)), peer.GetProperty("fingerprint").GetString());
        Assert.Equal(BridgeApiHarness.Alice.NotAfter.ToUniversalTime(), peer.GetProperty("notAfter").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(server.GetProperty("realm").GetString(), Assert.Single(peer.GetProperty("realms").EnumerateArray()).GetString());
        Assert.Equal((0, 0), (peer.GetProperty("uploaded").GetInt64(), peer.GetProperty("refused").GetInt64()));
        Assert.Equal(1, body.GetProperty("counters").GetProperty("onboarded").GetInt64());
        Assert.Empty(body.GetProperty("bridges").EnumerateArray());
    }

    [Fact]
    public async Task A_removed_peer_is_gone_from_the_status_and_an_unknown_one_is_a_404()
    {
        await using var h = await BridgeApiHarness.StartAsync();
        h.Onboard(BridgeApiHarness.AliceNode, BridgeApiHarness.AliceUid, BridgeApiHarness.Alice);

        using var removed = await h.Http.DeleteAsync($"api/bridge/peers/{Alice.ToUpperInvariant()}");
        using var status = await h.Http.GetAsync("api/bridge");
        using var again = await h.Http.DeleteAsync($"api/bridge/peers/{Alice}");
        using var malformed = await h.Http.DeleteAsync("api/bridge/peers/alice");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty((await ApiHarness.BodyAsync(status)).GetProperty("peers").EnumerateArray());
        Assert.Contains(Alice, await ApiHarness.ErrorAsync(again, 404));
        Assert.Contains("32 hex digits", await ApiHarness.ErrorAsync(malformed, 400));
    }

    [Fact]
    public async Task With_bridge_mode_off_the_status_says_so_and_a_removal_is_a_409_with_the_reason()
    {
        await using var h = await BridgeApiHarness.StartAsync(bridgeMode: false);

        using var status = await h.Http.GetAsync("api/bridge");
        using var remove = await h.Http.DeleteAsync($"api/bridge/peers/{Alice}");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var body = await ApiHarness.BodyAsync(status);
        Assert.False(body.GetProperty("enabled").GetBoolean());
        Assert.Empty(body.GetProperty("servers").EnumerateArray());
        Assert.Empty(body.GetProperty("peers").EnumerateArray());
        Assert.Contains("\"enabled\": true", await ApiHarness.ErrorAsync(remove, 409));
    }

    [Fact]
    public async Task With_a_token_the_bridge_routes_want_it_too()
    {
        const string token = "correct-horse-battery-staple";
        await using var h = await BridgeApiHarness.StartAsync(options: new() { Token = token, RequireToken = true });
        h.Onboard(BridgeApiHarness.AliceNode, BridgeApiHarness.AliceUid, BridgeApiHarness.Alice);

        using var status = await h.Http.GetAsync("api/bridge");
        using var remove = await h.Http.DeleteAsync($"api/bridge/peers/{Alice}");
        h.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var authorised = await h.Http.GetAsync("api/bridge");

        await ApiHarness.ErrorAsync(status, 401);
        await ApiHarness.ErrorAsync(remove, 401);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
        // The refused removal changed nothing.
        Assert.Single((await ApiHarness.BodyAsync(authorised)).GetProperty("peers").EnumerateArray());
    }
}
