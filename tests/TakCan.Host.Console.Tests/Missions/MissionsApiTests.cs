using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using TakCan.Actors.Device;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Actors.Tests.Servers;
using TakCan.Actors.Tests.Servers.MartiApi;
using TakCan.Host.Console.Tests.Api;
using TakCan.Host.Console.Tests.Node;
using TakCan.Host.Console.Tests.Servers;
using TakCan.Protocols.MartiApi;
using static TakCan.Actors.Tests.Servers.MartiApi.MartiTestData;

namespace TakCan.Host.Console.Tests.Missions;

/// <summary>
/// <c>/api/missions</c> against a real servers actor and the fake Marti server, with small limits: what is refused,
/// with which status and reason, and that nothing a server or a caller names escapes the missions folder.
/// </summary>
public sealed class MissionsApiTests : IAsyncLifetime
{
    private const int MaxCotBytes = 4096;
    private const int MaxContentBytes = 1024;
    private static readonly byte[] Plan = "hold the bridge"u8.ToArray();

    private readonly TcpListener _stream = new(IPAddress.Loopback, 0);
    private ServersApiHarness _h = null!;
    private FakeMartiApi _marti = null!;

    public async Task InitializeAsync()
    {
        _stream.Start();
        _marti = await FakeMartiApi.StartAsync();
        _h = await ServersApiHarness.StartAsync(missions: data => new MissionsSettings(Path.Combine(data, "missions"))
        {
            Client = MartiClientOptions.Default with { Limits = MartiLimits.Default with { MaxCotBytes = MaxCotBytes, MaxContentBytes = MaxContentBytes } },
        });
        var stream = $"127.0.0.1:{((IPEndPoint)_stream.LocalEndpoint).Port}";
        using var ops = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""
            {"name": "ops", "url": "ssl://{{stream}}", "cert": "{{Pki.ClientP12}}", "password": "{{TestPki.ClientPassword}}",
             "ca": "{{Pki.CaFile}}", "martiUrl": "{{_marti.BaseUri.AbsoluteUri}}"}
            """));
        Assert.Equal(HttpStatusCode.Created, ops.StatusCode);
        using var plain = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""{"name": "plain", "url": "tcp://{{stream}}"}"""));
        Assert.Equal(HttpStatusCode.Created, plain.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _marti.DisposeAsync();
        _stream.Stop();
    }

    private string MissionsFolder => Path.Combine(_h.DataDirectory, "missions");

    private Task<HttpResponseMessage> PullAsync(string json) => _h.Http.PostAsync("api/missions/pull", ApiHarness.Json(json));

    [Fact]
    public async Task List_and_subscribe_use_the_configured_server()
    {
        _marti.AddMission("ops", [Sa("uid-a", "ALPHA")], ("plan.txt", Plan));

        using var listed = await _h.Http.GetAsync("api/missions?server=ops");
        using var subscribed = await _h.Http.PostAsync("api/missions/subscribe", ApiHarness.Json("""{"server": "ops", "mission": "ops"}"""));

        var list = await ApiHarness.BodyAsync(listed);
        var mission = Assert.Single(list.GetProperty("missions").EnumerateArray());
        Assert.Equal(("ops", 1, 1), (mission.GetProperty("name").GetString(), mission.GetProperty("items").GetInt32(), mission.GetProperty("files").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, subscribed.StatusCode);
        var text = await subscribed.Content.ReadAsStringAsync();
        Assert.Contains("MISSION_SUBSCRIBER", text);
        Assert.DoesNotContain("eyJ", text);
        Assert.True(File.Exists(Path.Combine(_h.DataDirectory, "credentials", MissionsService.TokenName("ops", "ops"))));
        Assert.All(_marti.Requests, r => Assert.Equal(Pki.Client.Thumbprint, r.ClientThumbprint));
    }

    [Fact]
    public async Task An_unknown_server_or_mission_is_a_404_that_says_which()
    {
        using var noServer = await PullAsync("""{"server": "nope", "mission": "ops"}""");
        using var noMission = await PullAsync("""{"server": "ops", "mission": "ghost"}""");
        using var unnamed = await PullAsync("""{"mission": "ops"}""");
        using var listNoServer = await _h.Http.GetAsync("api/missions?server=nope");

        Assert.Contains("no server named 'nope'", await ApiHarness.ErrorAsync(noServer, 404));
        Assert.Contains("does not know", await ApiHarness.ErrorAsync(noMission, 404));
        Assert.Contains("ghost", await ApiHarness.ErrorAsync(noMission, 404));
        Assert.Contains("name the server: this device has 2 configured", await ApiHarness.ErrorAsync(unnamed, 404));
        Assert.Contains("no server named 'nope'", await ApiHarness.ErrorAsync(listNoServer, 404));
    }

    [Fact]
    public async Task A_server_without_a_client_certificate_cannot_be_used_for_missions()
    {
        using var response = await PullAsync("""{"server": "plain", "mission": "ops"}""");

        Assert.Contains("plain tcp://", await ApiHarness.ErrorAsync(response, 409));
        Assert.Empty(_marti.Requests);
    }

    [Theory]
    [InlineData("""{"server": "ops"}""", 400, "mission is required")]
    [InlineData("""{"server": "ops", "mission": ""}""", 400, "mission is required")]
    [InlineData("""{"server": "ops", "mission": ".."}""", 400, "not a mission name")]
    [InlineData("""{"server": "ops", "mission": "."}""", 400, "not a mission name")]
    [InlineData("""{"server": "ops", "mission": "ops\r\nX-Injected: 1"}""", 400, "control characters")]
    [InlineData("""{"server": "ops", "mission": 7}""", 400, "malformed")]
    [InlineData("""{"server": "ops", "mission": "ops"}""", 415, "JSON", "text/plain")]
    public async Task A_mission_that_cannot_be_asked_for_is_refused_before_any_request(string json, int status, string error, string mediaType = "application/json")
    {
        using var response = await _h.Http.PostAsync("api/missions/pull", ApiHarness.Json(json, mediaType));

        Assert.Contains(error, await ApiHarness.ErrorAsync(response, status));
        Assert.Empty(_marti.Requests);
    }

    [Fact]
    public async Task An_overlong_mission_name_is_refused()
    {
        using var response = await PullAsync($$"""{"server": "ops", "mission": "{{new string('x', MissionsProtocol.MaxMissionNameLength + 1)}}"}""");

        Assert.Contains("longer than", await ApiHarness.ErrorAsync(response, 400));
        Assert.Empty(_marti.Requests);
    }

    [Fact]
    public async Task A_mission_named_with_dot_segments_stays_in_its_own_escaped_folder()
    {
        const string name = "../../outside";
        var mission = _marti.AddMission(name, [Sa("uid-a", "ALPHA")], ("plan.txt", Plan));
        // The client sends the slashes as %2F, which Kestrel leaves encoded in the route value.
        _marti.Missions[Uri.EscapeDataString(name)] = mission;

        using var response = await PullAsync("""{"server": "ops", "mission": "../../outside"}""");

        var body = await ApiHarness.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var folder = Path.Combine(MissionsFolder, "%2E%2E%2F%2E%2E%2Foutside");
        Assert.Equal(folder, body.GetProperty("directory").GetString());
        Assert.Equal(Plan, await File.ReadAllBytesAsync(Path.Combine(folder, Hash(Plan))));
        Assert.Equal([Path.Combine(folder, Hash(Plan))], Directory.GetFiles(MissionsFolder, "*", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(_h.DataDirectory, "..", "outside")));
        var tokens = Directory.GetFiles(Path.Combine(_h.DataDirectory, "credentials"), "*.token");
        Assert.Equal(Path.Combine(_h.DataDirectory, "credentials", "takserver-ops.mission-%2E%2E%2F%2E%2E%2Foutside.token"), Assert.Single(tokens));
        await Eventually.HoldsAsync(() =>
        {
            var received = Assert.Single(_h.Device.Received.OfType<DeviceProtocol.CotReceived>());
            Assert.Equal(new CotSource(CotSourceKind.Server, "mission:../../outside"), received.Source);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Hostile_contents_are_refused_one_by_one_and_the_pull_goes_on()
    {
        var large = RandomNumberGenerator.GetBytes(MaxContentBytes * 2);
        var understated = RandomNumberGenerator.GetBytes(MaxContentBytes * 2);
        _marti.AddMission("ops", [Sa("uid-a", "ALPHA")], ("plan.txt", Plan), ("large.bin", large));
        var mission = _marti.Missions["ops"];
        mission.Contents.Add(new FakeContent("../../../../etc/passwd", "passwd", 10));
        // Says 10 bytes, sends twice the limit: the download stops at the limit.
        mission.Contents.Add(new FakeContent(Hash(understated), "understated.bin", 10));
        _marti.Contents[Hash(understated)] = understated;

        using var response = await PullAsync("""{"server": "ops", "mission": "ops"}""");

        var body = await ApiHarness.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 3), (body.GetProperty("saved").GetInt32(), body.GetProperty("refused").GetInt32()));
        var reasons = body.GetProperty("files").EnumerateArray()
            .Where(f => f.GetProperty("outcome").GetString() == "refused")
            .ToDictionary(f => f.GetProperty("filename").GetString()!, f => f.GetProperty("reason").GetString()!);
        Assert.Contains("not a SHA-256 hash", reasons["passwd"]);
        Assert.Contains($"more than the {MaxContentBytes}", reasons["large.bin"]);
        Assert.Contains($"more than the {MaxContentBytes}", reasons["understated.bin"]);
        Assert.Equal([Path.Combine(MissionsFolder, "ops", Hash(Plan))], Directory.GetFiles(MissionsFolder, "*", SearchOption.AllDirectories));
        // The bad hash never became a request, nor did the file that declared itself too large.
        Assert.Equal(2, _marti.RequestsTo("/Marti/sync/content").Count());
    }

    [Fact]
    public async Task Mission_cot_over_the_limit_is_refused_with_the_reason_and_nothing_reaches_the_device()
    {
        _marti.AddMission("huge", Enumerable.Range(0, 40).Select(i => Sa($"uid-{i}", $"UNIT{i}")), ("plan.txt", Plan));

        using var response = await PullAsync("""{"server": "ops", "mission": "huge"}""");

        Assert.Contains($"more than the {MaxCotBytes}", await ApiHarness.ErrorAsync(response, 502));
        Assert.Empty(_h.Device.Received.OfType<DeviceProtocol.CotReceived>());
        Assert.False(Directory.Exists(Path.Combine(MissionsFolder, "huge")));
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
