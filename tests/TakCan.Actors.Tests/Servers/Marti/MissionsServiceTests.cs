using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Device;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Protocols.MartiApi;
using static TakCan.Actors.Tests.Servers.MartiApi.MartiTestData;

namespace TakCan.Actors.Tests.Servers.MartiApi;

/// <summary>Subscribe and pull: the mission's CoT reaches the device, its contents the store, only when their hash verifies.</summary>
public sealed class MissionsServiceTests : TestKit, IAsyncLifetime
{
    private static readonly byte[] Plan = "the plan: hold the bridge"u8.ToArray();
    private static readonly byte[] Photo = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "takcan-marti-" + Guid.NewGuid().ToString("N"));
    private FakeMartiApi _server = null!;

    public async Task InitializeAsync() => _server = await FakeMartiApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string MissionsDirectory => Path.Combine(_directory, "missions");

    private FileKeyStore Tokens => new(Path.Combine(_directory, "keys"));

    private MissionsService Service(MartiClient client, IActorRef device, IKeyStore? tokens = null) =>
        new(client, "ops-server", ClientUid, new FileMissionContentStore(MissionsDirectory), device, tokens);

    [Fact]
    public async Task Pull_gives_the_mission_cot_to_the_device_and_saves_contents_whose_hash_verifies()
    {
        var tampered = "not what the hash says"u8.ToArray();
        _server.AddMission("ops", [Sa("uid-a", "ALPHA"), Unescaped, Sa("uid-b", "BRAVO")], ("plan.txt", Plan), ("photo.jpg", Photo), ("tampered.kml", tampered));
        var tamperedHash = MartiContentHash.Of(tampered);
        _server.Contents[tamperedHash] = "<kml>something else</kml>"u8.ToArray();
        var device = CreateTestProbe();
        using var client = Client(_server);

        var result = await Service(client, device).PullAsync("ops");

        var first = device.ExpectMsg<DeviceProtocol.CotReceived>();
        var second = device.ExpectMsg<DeviceProtocol.CotReceived>();
        device.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["ALPHA", "BRAVO"], new[] { first, second }.Select(m => m.Event.Detail.Contact!.Callsign));
        Assert.Equal(new CotSource(CotSourceKind.Server, "mission:ops"), first.Source);
        Assert.Equal((2, 1), (result.Events.Count, result.BadEvents));
        Assert.Single(result.EventProblems);

        Assert.Equal((2, 0, 1), (result.Saved, result.AlreadyPresent, result.Refused));
        Assert.Equal(Plan, await File.ReadAllBytesAsync(Path.Combine(MissionsDirectory, "ops", MartiContentHash.Of(Plan))));
        Assert.Equal(Photo, await File.ReadAllBytesAsync(Path.Combine(MissionsDirectory, "ops", MartiContentHash.Of(Photo))));
        var refused = Assert.Single(result.Contents, c => c.Outcome == MissionContentOutcome.Refused);
        Assert.Equal(("tampered.kml", tamperedHash), (refused.Filename, refused.Hash));
        Assert.Contains("not the content's hash", refused.Reason);
        Assert.False(File.Exists(Path.Combine(MissionsDirectory, "ops", tamperedHash)));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(MissionsDirectory, "ops")).Length);
    }

    [Fact]
    public async Task Subscribe_keeps_the_token_and_every_later_mission_request_carries_it()
    {
        _server.AddMission("ops", [Sa("uid-a", "ALPHA")], ("plan.txt", Plan));
        using var client = Client(_server);
        var service = Service(client, CreateTestProbe());

        var subscription = await service.SubscribeAsync("ops");
        await service.PullAsync("ops");

        Assert.Equal(subscription.Token, await service.GetTokenAsync("ops"));
        Assert.Single(_server.RequestsTo("/Marti/api/missions/ops/subscription"));
        var bearer = "Bearer " + subscription.Token;
        Assert.Equal(bearer, Assert.Single(_server.RequestsTo("/Marti/api/missions/ops/cot")).MissionAuthorization);
        Assert.Equal(bearer, _server.Requests.Single(r => r.PathAndQuery == "/Marti/api/missions/ops").MissionAuthorization);
        Assert.Equal(bearer, Assert.Single(_server.RequestsTo("/Marti/sync/content")).MissionAuthorization);
    }

    [Fact]
    public async Task Pull_without_a_token_subscribes_first_and_a_kept_token_is_reused_across_runs()
    {
        _server.AddMission("Ops Night", [Sa("uid-a", "ALPHA")]);
        using var client = Client(_server);

        var first = await Service(client, CreateTestProbe(), Tokens).PullAsync("Ops Night");
        var stored = await Tokens.LoadAsync(MissionsService.TokenName("ops-server", "Ops Night"));
        var second = await Service(client, CreateTestProbe(), Tokens).PullAsync("Ops Night");

        Assert.Equal("takserver-ops-server.mission-Ops%20Night.token", MissionsService.TokenName("ops-server", "Ops Night"));
        Assert.NotNull(stored);
        Assert.Single(_server.RequestsTo("/Marti/api/missions/Ops%20Night/subscription"));
        Assert.All(_server.RequestsTo("/Marti/api/missions/Ops%20Night/cot"), r => Assert.Equal("Bearer " + Encoding.ASCII.GetString(stored), r.MissionAuthorization));
        Assert.Equal((1, 1), (first.Events.Count, second.Events.Count));
    }

    [Fact]
    public async Task A_kept_token_the_server_no_longer_accepts_is_replaced_by_a_new_subscription()
    {
        _server.AddMission("ops", [Sa("uid-a", "ALPHA")]);
        using var client = Client(_server);
        var service = Service(client, CreateTestProbe(), Tokens);
        var old = (await service.SubscribeAsync("ops")).Token;
        _server.ExpireTokens();

        var result = await Service(client, CreateTestProbe(), Tokens).PullAsync("ops");

        Assert.Single(result.Events);
        Assert.Equal(2, _server.RequestsTo("/Marti/api/missions/ops/subscription").Count());
        Assert.NotEqual(old, Encoding.ASCII.GetString((await Tokens.LoadAsync(MissionsService.TokenName("ops-server", "ops")))!));
    }

    [Fact]
    public async Task A_second_pull_keeps_contents_already_saved_and_fetches_only_new_ones()
    {
        _server.AddMission("ops", [], ("plan.txt", Plan));
        using var client = Client(_server);
        var service = Service(client, CreateTestProbe());
        await service.PullAsync("ops");
        _server.AddMission("ops", [], ("plan.txt", Plan), ("photo.jpg", Photo));

        var result = await service.PullAsync("ops");

        Assert.Equal((1, 1, 0), (result.Saved, result.AlreadyPresent, result.Refused));
        Assert.Equal(2, _server.RequestsTo("/Marti/sync/content").Count());
    }

    [Fact]
    public async Task Contents_with_a_hash_that_is_not_sha256_or_over_the_limit_are_refused_without_a_request()
    {
        var mission = _server.AddMission("ops", [], ("photo.jpg", Photo));
        mission.Contents.Add(new FakeContent("../../../etc/passwd", "passwd", 10));
        using var client = Client(_server, options: new MartiClientOptions { Limits = MartiLimits.Default with { MaxContentBytes = 1000 } });

        var result = await Service(client, CreateTestProbe()).PullAsync("ops");

        Assert.Equal(2, result.Refused);
        Assert.Contains(result.Contents, c => c.Reason!.Contains("not a SHA-256 hash"));
        Assert.Contains(result.Contents, c => c.Reason!.Contains("more than the 1000"));
        Assert.Empty(_server.RequestsTo("/Marti/sync/content"));
        Assert.False(Directory.Exists(Path.Combine(MissionsDirectory, "ops")));
    }
}
