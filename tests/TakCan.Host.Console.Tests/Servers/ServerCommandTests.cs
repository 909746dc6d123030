using System.Net;
using System.Net.Sockets;

namespace TakCan.Host.Console.Tests.Servers;

/// <summary>The real <c>takcan server</c> verbs, as child processes, against a servers API in this process.</summary>
public sealed class ServerCommandTests : IAsyncLifetime
{
    private ServersApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await ServersApiHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Add_list_and_remove_a_server_on_the_running_node()
    {
        var url = $"tcp://127.0.0.1:{FreePort()}";

        var (addCode, addOut, addErr) = await TakcanAsync("server", "add", "ops", "--url", url, "--user", "alice", "--user-password", "hunter2-secret");
        var (listCode, listOut, listErr) = await TakcanAsync("server", "list");
        var (removeCode, removeOut, removeErr) = await TakcanAsync("server", "remove", "ops");
        var (emptyCode, emptyOut, _) = await TakcanAsync("server", "list");

        Assert.True(addCode == 0, addErr);
        Assert.Equal($"server ops added: {url}", addOut.Trim());
        Assert.True(listCode == 0, listErr);
        var row = Assert.Single(Lines(listOut), l => l.Contains("ops"));
        Assert.Contains(url, row);
        Assert.Contains("1 server(s)", listOut);
        Assert.DoesNotContain("hunter2-secret", listOut);
        Assert.True(removeCode == 0, removeErr);
        Assert.Equal("server ops removed", removeOut.Trim());
        Assert.Equal(0, emptyCode);
        Assert.Contains("0 server(s)", emptyOut);
    }

    [Fact]
    public async Task Certificate_files_go_to_the_node_by_their_full_path_and_its_refusal_is_one_line()
    {
        var add = TakcanAsync("server", "add", "secure", "--url", "ssl://127.0.0.1:8089", "--cert", "no-such-client.p12", "--password", "p", "--ca", "no-such-ca.pem");
        var remove = TakcanAsync("server", "remove", "nobody");
        var (addCode, addOut, addErr) = await add;
        var (removeCode, _, removeErr) = await remove;

        Assert.Equal(1, addCode);
        Assert.Equal("", addOut);
        Assert.Contains(Path.GetFullPath("no-such-ca.pem"), Assert.Single(Lines(addErr)));
        Assert.Equal(1, removeCode);
        Assert.Equal("takcan: no server named 'nobody' is configured", Assert.Single(Lines(removeErr)));
    }

    [Fact]
    public async Task Enroll_wants_a_trust_and_says_when_the_enrolment_server_cannot_be_reached()
    {
        var port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var noTrust = TakcanAsync("server", "enroll", "ops", "--host", "127.0.0.1", "--user", "alice", "--password", "p");
        var noServer = TakcanAsync("server", "enroll", "ops", "--host", "127.0.0.1", "--user", "alice", "--password", "p", "--first-use", "--enrolment-port", port);
        var (noTrustCode, _, noTrustErr) = await noTrust;
        var (noServerCode, _, noServerErr) = await noServer;

        Assert.Equal(1, noTrustCode);
        Assert.Contains("one of --ca FILE, --pin SHA256 or --first-use", Assert.Single(Lines(noTrustErr)));
        Assert.Equal(1, noServerCode);
        Assert.Contains($"could not reach the enrolment service at 127.0.0.1:{port}", Assert.Single(Lines(noServerErr)));
    }

    [Fact]
    public async Task Import_adds_the_servers_of_a_data_package()
    {
        var package = Path.Combine(_h.DataDirectory, "ops.zip");
        await File.WriteAllBytesAsync(package, ServersApiHarness.TcpPackage("127.0.0.1:8087:tcp"));

        var (code, stdout, stderr) = await TakcanAsync("server", "import", package, "--name", "field");
        var (missingCode, _, missingErr) = await TakcanAsync("server", "import", Path.Combine(_h.DataDirectory, "missing.zip"));

        Assert.True(code == 0, stderr);
        Assert.Equal("server field added: tcp://127.0.0.1:8087", stdout.Trim());
        Assert.Equal(1, missingCode);
        Assert.Contains("cannot read", Assert.Single(Lines(missingErr)));
    }

    [Fact]
    public async Task With_no_node_listening_it_says_so_and_exits_1()
    {
        var url = $"http://127.0.0.1:{FreePort()}";

        var (code, stdout, stderr) = await TakcanProcess.RunTextAsync("server", "list", "--api-url", url);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"takcan: no node answering at {url} — start one with `takcan node`", Assert.Single(Lines(stderr)));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> TakcanAsync(params string[] args) =>
        TakcanProcess.RunTextAsync([.. args, "--api-url", _h.ApiUrl]);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
