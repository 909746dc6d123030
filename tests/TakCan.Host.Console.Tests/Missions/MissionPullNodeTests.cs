using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Actors.Situation.Store;
using TakCan.Actors.Tests.Servers;
using TakCan.Actors.Tests.Servers.MartiApi;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Node;
using TakCan.Host.Console.Tests.Node;
using TakCan.Protocols.MartiApi;
using static TakCan.Actors.Tests.Servers.MartiApi.MartiTestData;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Tests.Missions;

/// <summary>
/// A whole node in this process (NodeHost: device, SQLite journal, servers actor, local API) with a TAK server whose
/// HTTPS API is the fake Marti server: a mission pulled through the node's API lands in its contacts, its CoT store
/// and its data directory.
/// </summary>
public sealed class MissionPullNodeTests : IAsyncLifetime
{
    private const string Mission = "ops night";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);
    private static readonly byte[] Plan = "the plan: hold the bridge at 0400"u8.ToArray();
    private static readonly byte[] Script = "#!/bin/sh\nrm -rf ~\n"u8.ToArray();

    private readonly string _data = Directory.CreateTempSubdirectory("takcan-mission-node-").FullName;
    private readonly TcpListener _stream = new(IPAddress.Loopback, 0);
    private FakeMartiApi _marti = null!;
    private NodeHost _node = null!;
    private LocalApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _marti = await FakeMartiApi.StartAsync();
        // The server's CoT stream: it never says a word, so the link stays connecting; the API is what matters here.
        _stream.Start();
        var config = NodeConfigFile.CreateNew() with
        {
            Callsign = "VIPER",
            Mesh = new NodeConfig.MeshConfig { Udp = new NodeConfig.UdpConfig { Bind = "127.0.0.1:0", Discovery = false } },
            Api = new NodeConfig.ApiConfig { Url = "http://127.0.0.1:0" },
            Multicast = new NodeConfig.MulticastConfig { Enabled = false },
        };
        NodeConfigFile.Write(config, Path.Combine(_data, NodeConfigFile.DefaultName));
        _node = await NodeHost.StartAsync(new NodeOptions { DataDirectory = _data }, _ => { }, CancellationToken.None);
        _api = new LocalApiClient($"http://127.0.0.1:{_node.Api.Url.Port}", timeout: TimeSpan.FromSeconds(60));
        await _api.AddServerAsync(new AddServerRequest(
            "ops",
            $"ssl://127.0.0.1:{((IPEndPoint)_stream.LocalEndpoint).Port}",
            Pki.ClientP12,
            TestPki.ClientPassword,
            Pki.CaFile,
            MartiUrl: _marti.BaseUri.AbsoluteUri));
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _node.DisposeAsync();
        await _marti.DisposeAsync();
        _stream.Stop();
        Directory.Delete(_data, recursive: true);
    }

    private string MissionFolder => Path.Combine(_data, "missions", "ops%20night");

    [Fact]
    public async Task A_pulled_mission_reaches_the_contacts_the_cot_store_and_the_data_directory()
    {
        // TAK Server does not vet file names; the node keeps files by hash, so this one cannot go anywhere else.
        _marti.AddMission(Mission, [Sa("uid-alpha", "ALPHA"), Unescaped, Sa("uid-bravo", "BRAVO")], ("plan.txt", Plan), ("../../../../evil.sh", Script));

        var pulled = await _api.PullMissionAsync("ops", Mission);

        Assert.Equal(("ops", Mission, "mission:ops night"), (pulled.Server, pulled.Mission, pulled.Source));
        Assert.Equal((2, 1), (pulled.Events, pulled.BadEvents));
        Assert.Single(pulled.EventProblems);
        Assert.Equal((2, 0, 0), (pulled.Saved, pulled.AlreadyPresent, pulled.Refused));
        Assert.Equal(MissionFolder, pulled.Directory);
        Assert.Equal(Plan, await File.ReadAllBytesAsync(Path.Combine(MissionFolder, Hash(Plan))));
        Assert.Equal(Script, await File.ReadAllBytesAsync(Path.Combine(MissionFolder, Hash(Script))));
        Assert.Equal(
            new[] { Path.Combine(MissionFolder, Hash(Plan)), Path.Combine(MissionFolder, Hash(Script)) }.Order(),
            pulled.Files.Select(f => f.Path).Order());
        Assert.Equal(2, Directory.GetFiles(MissionFolder).Length);
        Assert.DoesNotContain(Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories), f => f.Contains("evil", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.GetFullPath(Path.Combine(MissionFolder, "../../../../evil.sh"))));

        // The events went to the device like any server's: contacts from their SA, the CoT store with their source.
        await Eventually.HoldsAsync(async () =>
        {
            var contacts = (await _api.GetContactsAsync()).Contacts;
            foreach (var (uid, callsign) in new[] { ("uid-alpha", "ALPHA"), ("uid-bravo", "BRAVO") })
            {
                var contact = Assert.Single(contacts, c => c.Uid == uid);
                Assert.Equal(callsign, contact.Callsign);
                Assert.Contains("mission:ops night", contact.Sources);
            }
        }, Within);
        var children = await _node.Device.Ask<DeviceProtocol.ChildrenOf>(DeviceProtocol.GetChildren.Instance, Within);
        var stored = await children.Named["store"].Ask<CotStoreProtocol.CotRange>(new CotStoreProtocol.GetCotRange(DateTime.MinValue, DateTime.MaxValue), Within);
        var fromMission = stored.Events.Where(e => e.Source == MissionsService.SourceOf(Mission)).Select(e => e.Event.Uid).Order().ToArray();
        Assert.Equal(["uid-alpha", "uid-bravo"], fromMission);

        // The token is kept: a second pull asks no new subscription, and the files are not fetched again.
        var again = await _api.PullMissionAsync("ops", Mission);
        Assert.Equal((0, 2, 0), (again.Saved, again.AlreadyPresent, again.Refused));
        Assert.Single(_marti.RequestsTo("/Marti/api/missions/ops%20night/subscription"));
        Assert.True(File.Exists(Path.Combine(ServersFile.CredentialsDirectory(_data), MissionsService.TokenName("ops", Mission))));
        Assert.Equal(2, _marti.RequestsTo("/Marti/sync/content").Count());
    }

    [Fact]
    public async Task Takcan_missions_verbs_talk_to_the_running_node()
    {
        _marti.AddMission(Mission, [Sa("uid-charlie", "CHARLIE")], ("plan.txt", Plan));
        var apiUrl = _api.BaseUrl;

        var (listCode, listOut, listErr) = await TakcanProcess.RunTextAsync("missions", "list", "--api-url", apiUrl);
        var (subscribeCode, subscribeOut, subscribeErr) = await TakcanProcess.RunTextAsync("missions", "subscribe", Mission, "--server", "ops", "--api-url", apiUrl);
        var (pullCode, pullOut, pullErr) = await TakcanProcess.RunTextAsync("missions", "pull", Mission, "--server", "ops", "--api-url", apiUrl);
        var (unknownCode, unknownOut, unknownErr) = await TakcanProcess.RunTextAsync("missions", "pull", "no such mission", "--api-url", apiUrl);

        Assert.True(listCode == 0, listErr);
        Assert.Contains(Mission, listOut);
        Assert.True(subscribeCode == 0, subscribeErr);
        Assert.Contains($"subscribed   {Mission} on ops", subscribeOut);
        Assert.DoesNotContain("eyJ", subscribeOut);
        Assert.True(pullCode == 0, pullErr);
        Assert.Contains("events       1 into the node as mission:ops night", pullOut);
        Assert.Contains("files        1 saved", pullOut);
        Assert.Single(_marti.RequestsTo("/Marti/api/missions/ops%20night/subscription"));
        await Eventually.HoldsAsync(async () => Assert.Contains((await _api.GetContactsAsync()).Contacts, c => c.Callsign == "CHARLIE"), Within);
        Assert.Equal(1, unknownCode);
        Assert.Equal("", unknownOut);
        Assert.Contains("does not know", Assert.Single(unknownErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Takcan_missions_pull_says_when_no_node_runs()
    {
        using var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)free.LocalEndpoint).Port}";
        free.Stop();

        var (code, stdout, stderr) = await TakcanProcess.RunTextAsync("missions", "pull", Mission, "--server", "ops", "--api-url", url);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"takcan: no node answering at {url} — start one with `takcan node`", stderr.Trim());
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
