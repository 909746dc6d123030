namespace TakCan.Host.Console.Tests.Bridge;

/// <summary>The real <c>takcan bridge</c> verbs, as a child process, against a bridge behind an API in this process.</summary>
public sealed class BridgeCommandTests
{
    private const string Token = "correct-horse-battery-staple";
    private static readonly string Alice = BridgeApiHarness.AliceNode.ToString();

    [Fact]
    public async Task Status_prints_the_servers_and_peers_and_remove_forgets_a_peer()
    {
        await using var h = await BridgeApiHarness.StartAsync(options: new() { Token = Token, RequireToken = true });
        h.Onboard(BridgeApiHarness.AliceNode, BridgeApiHarness.AliceUid, BridgeApiHarness.Alice);

        var (code, stdout, stderr) = await Takcan(h, "status");

        Assert.True(code == 0, stderr);
        Assert.Contains($"bridge mode on, mesh node {BridgeApiHarness.BridgeNode}", stdout);
        Assert.Contains("active", Assert.Single(Lines(stdout), l => l.Contains("ops") && !l.Contains(Alice)));
        var peer = Assert.Single(Lines(stdout), l => l.Contains(Alice));
        Assert.Contains(BridgeApiHarness.AliceUid, peer);
        Assert.Contains("CN=alice", peer);
        Assert.Contains("ops", peer);
        Assert.Contains("1 onboarded peer(s)", stdout);
        Assert.Contains("onboard messages accepted 1, refused 0", stdout);

        var (removeCode, removeOut, removeErr) = await Takcan(h, "remove", Alice);
        var (afterCode, afterOut, _) = await Takcan(h, "status");
        var (againCode, _, againErr) = await Takcan(h, "remove", Alice);

        Assert.True(removeCode == 0, removeErr);
        Assert.Contains($"peer {Alice} removed", removeOut);
        Assert.Equal(0, afterCode);
        Assert.Contains("0 onboarded peer(s)", afterOut);
        Assert.Equal(1, againCode);
        Assert.Contains("no peer with node id", Assert.Single(Lines(againErr)));
    }

    [Fact]
    public async Task With_bridge_mode_off_status_says_how_to_turn_it_on_and_remove_fails_with_one_line()
    {
        await using var h = await BridgeApiHarness.StartAsync(bridgeMode: false, options: new() { Token = Token, RequireToken = true });

        var status = Takcan(h, "status");
        var remove = Takcan(h, "remove", Alice);
        var (statusCode, statusOut, statusErr) = await status;
        var (removeCode, _, removeErr) = await remove;

        Assert.True(statusCode == 0, statusErr);
        Assert.Contains("bridge mode is off", statusOut);
        Assert.Equal(1, removeCode);
        Assert.Contains("bridge mode is off", Assert.Single(Lines(removeErr)));
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Takcan(BridgeApiHarness h, params string[] args) =>
        TakcanProcess.RunTextAsync(["bridge", .. args, "--api-url", h.ApiUrl, "--token", Token]);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
