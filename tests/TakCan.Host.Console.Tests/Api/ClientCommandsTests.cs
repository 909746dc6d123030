using System.Net;
using System.Net.Sockets;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using TakCan.Protocols.Mesh;

namespace TakCan.Host.Console.Tests.Api;

/// <summary>The real <c>takcan</c> client verbs, as a child process, against an API in this process.</summary>
public sealed class ClientCommandsTests : IAsyncLifetime
{
    private const string Token = "correct-horse-battery-staple";
    private ApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await ApiHarness.StartAsync(new() { Token = Token, RequireToken = true });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string ApiUrl => $"http://127.0.0.1:{_h.Api.Url.Port}";

    [Fact]
    public async Task Contacts_prints_a_table_of_the_node_contacts()
    {
        _h.Contacts.Reply = m => m is ContactsProtocol.GetContacts
            ? new ContactsProtocol.ContactList([Samples.Contact("ANDROID-hawk", "HAWK"), Samples.Contact("ANDROID-owl", "OWL") with { IsStale = true }])
            : null;

        var (code, stdout, stderr) = await TakcanProcess.RunTextAsync("contacts", "--api-url", ApiUrl, "--token", Token);

        Assert.True(code == 0, stderr);
        var hawk = Assert.Single(stdout.Split('\n'), l => l.Contains("HAWK"));
        Assert.Contains("ANDROID-hawk", hawk);
        Assert.Contains("59.32900, 18.06800", hawk);
        Assert.Contains("1.5 km", hawk);
        Assert.Contains("stale", Assert.Single(stdout.Split('\n'), l => l.Contains("OWL")));
        Assert.Contains("2 contact(s)", stdout);
    }

    [Fact]
    public async Task Chat_send_prints_the_message_id_and_status_shows_the_node()
    {
        _h.Chat.Reply = m => m is ChatProtocol.SendChat ? new ChatProtocol.ChatAccepted("GeoChat-msg-42") : null;
        _h.Mesh.Reply = _ => new MeshProtocol.MeshStatus([], new MeshCountersSnapshot(1, 2, 3, 4, 5, new Dictionary<MeshDropReason, long>()));

        var send = TakcanProcess.RunTextAsync("chat", "send", "--room", "Cyan", "--api-url", ApiUrl, "--token", Token, "RV", "at", "the", "bridge");
        var status = TakcanProcess.RunTextAsync("status", "--api-url", ApiUrl, "--token", Token);
        var (sendCode, sendOut, sendErr) = await send;
        var (statusCode, statusOut, statusErr) = await status;

        Assert.True(sendCode == 0, sendErr);
        Assert.Equal("GeoChat-msg-42", sendOut.Trim());
        Assert.Equal(new ChatProtocol.SendChat("Cyan", "RV at the bridge"), Assert.Single(_h.Chat.Received));
        Assert.True(statusCode == 0, statusErr);
        Assert.Contains("VIPER", statusOut);
        Assert.Contains("ANDROID-viper", statusOut);
    }

    [Fact]
    public async Task What_the_node_refuses_is_one_line_on_stderr_and_exit_1()
    {
        _h.Emergency.Reply = _ => new EmergencyProtocol.EmergencyRateLimited(TimeSpan.FromSeconds(4));

        var limited = TakcanProcess.RunTextAsync("emergency", "raise", "--type", "bell", "--api-url", ApiUrl, "--token", Token);
        var noToken = TakcanProcess.RunTextAsync("contacts", "--api-url", ApiUrl);
        var (limitedCode, _, limitedErr) = await limited;
        var (noTokenCode, _, noTokenErr) = await noToken;

        Assert.Equal(1, limitedCode);
        Assert.Contains("retry in 4 s", Assert.Single(Lines(limitedErr)));
        Assert.Equal(new EmergencyProtocol.RaiseEmergency(EmergencyProtocol.EmergencyType.RingTheBell), Assert.Single(_h.Emergency.Received));
        Assert.Equal(1, noTokenCode);
        Assert.Contains("token", Assert.Single(Lines(noTokenErr)));
    }

    [Fact]
    public async Task With_no_node_listening_it_says_so_and_exits_1()
    {
        var url = $"http://127.0.0.1:{FreePort()}";

        var (code, stdout, stderr) = await TakcanProcess.RunTextAsync("contacts", "--api-url", url);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"takcan: no node answering at {url} — start one with `takcan node`", Assert.Single(Lines(stderr)));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
