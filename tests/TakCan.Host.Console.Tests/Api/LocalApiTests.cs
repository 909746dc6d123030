using System.Net;
using System.Text;
using System.Text.Json;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Host.Console.Tests.Api;

public sealed class LocalApiTests : IAsyncLifetime
{
    private ApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await ApiHarness.StartAsync(new() { AskTimeout = TimeSpan.FromMilliseconds(500) });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Status_shows_the_node_its_links_and_counters()
    {
        var peer = new MeshPeerInfo(NodeId.Parse("0f0e0d0c0b0a09080706050403020100"), "Cyan");
        _h.Mesh.Reply = m => m is MeshProtocol.GetMeshStatus
            ? new MeshProtocol.MeshStatus(
                [new(1, "udp", "10.0.0.7:4242", true, peer), new(2, "udp", "10.0.0.9:4242", false, null)],
                new MeshCountersSnapshot(10, 12, 3, 4, 5, new Dictionary<MeshDropReason, long> { [MeshDropReason.Auth] = 2, [MeshDropReason.Ttl] = 0 }))
            : null;

        using var response = await _h.Http.GetAsync("api/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHarness.BodyAsync(response);
        Assert.Equal("VIPER", body.GetProperty("node").GetProperty("callsign").GetString());
        Assert.Equal("ANDROID-viper", body.GetProperty("node").GetProperty("uid").GetString());
        Assert.Equal("Cyan", body.GetProperty("node").GetProperty("team").GetString());
        Assert.Equal(1, body.GetProperty("peers").GetInt32());
        var link = body.GetProperty("links")[0];
        Assert.Equal("10.0.0.7:4242", link.GetProperty("description").GetString());
        Assert.True(link.GetProperty("up").GetBoolean());
        Assert.Equal("0f0e0d0c0b0a09080706050403020100", link.GetProperty("peerNode").GetString());
        Assert.Equal(10, body.GetProperty("counters").GetProperty("framesSent").GetInt64());
        Assert.Equal(2, body.GetProperty("counters").GetProperty("drops").GetProperty("auth").GetInt64());
    }

    [Fact]
    public async Task Contacts_are_the_contacts_actor_answer_in_camel_case()
    {
        _h.Contacts.Reply = m => m is ContactsProtocol.GetContacts ? new ContactsProtocol.ContactList([Samples.Contact("ANDROID-hawk", "HAWK")]) : null;

        using var response = await _h.Http.GetAsync("api/contacts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contact = Assert.Single((await ApiHarness.BodyAsync(response)).GetProperty("contacts").EnumerateArray());
        Assert.Equal("HAWK", contact.GetProperty("callsign").GetString());
        Assert.Equal("ANDROID-hawk", contact.GetProperty("uid").GetString());
        Assert.Equal(1523.5, contact.GetProperty("distanceMeters").GetDouble());
        Assert.Equal(["mesh"], contact.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.False(contact.GetProperty("isStale").GetBoolean());
    }

    [Theory]
    [InlineData("api/chat", null)]
    [InlineData("api/chat?room=", null)]
    [InlineData("api/chat?room=Cyan", "Cyan")]
    [InlineData("api/chat?room=All%20Chat%20Rooms", "All Chat Rooms")]
    public async Task Chat_log_asks_for_one_room_or_all(string path, string? room)
    {
        _h.Chat.Reply = m => m is ChatProtocol.GetChatLog ? new ChatProtocol.ChatLog([Samples.ChatMessage("m-1", "Cyan", "hello")]) : null;

        using var response = await _h.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new ChatProtocol.GetChatLog(room), Assert.Single(_h.Chat.Received));
        var message = Assert.Single((await ApiHarness.BodyAsync(response)).GetProperty("messages").EnumerateArray());
        Assert.Equal("m-1", message.GetProperty("messageId").GetString());
        Assert.Equal("delivered", message.GetProperty("state").GetString());
        Assert.Equal(["ANDROID-hawk"], message.GetProperty("acknowledgedBy").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Chat_log_of_a_room_the_chat_actor_refuses_is_400()
    {
        _h.Chat.Reply = m => m is ChatProtocol.GetChatLog ? new ChatProtocol.ChatRejected("unknown room 'Mauve'") : null;

        using var response = await _h.Http.GetAsync("api/chat?room=Mauve");

        Assert.Equal("unknown room 'Mauve'", await ApiHarness.ErrorAsync(response, 400));
    }

    [Fact]
    public async Task Chat_send_is_202_with_the_message_id()
    {
        _h.Chat.Reply = m => m is ChatProtocol.SendChat ? new ChatProtocol.ChatAccepted("3f1c0c5e-msg") : null;

        using var response = await _h.Http.PostAsync("api/chat", ApiHarness.Json("""{"room": "Cyan", "text": "RV at the bridge"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("3f1c0c5e-msg", (await ApiHarness.BodyAsync(response)).GetProperty("messageId").GetString());
        Assert.Equal(new ChatProtocol.SendChat("Cyan", "RV at the bridge"), Assert.Single(_h.Chat.Received));
    }

    [Fact]
    public async Task Chat_send_the_chat_actor_rejects_is_400_with_its_reason()
    {
        _h.Chat.Reply = m => m is ChatProtocol.SendChat ? new ChatProtocol.ChatRejected("unknown room 'Mauve'") : null;

        using var response = await _h.Http.PostAsync("api/chat", ApiHarness.Json("""{"room": "Mauve", "text": "hi"}"""));

        Assert.Equal("unknown room 'Mauve'", await ApiHarness.ErrorAsync(response, 400));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"RV at the bridge\"")]
    [InlineData("""{"room": 5, "text": "x"}""")]
    [InlineData("""{"room": "Cyan", "text": ["x"]}""")]
    [InlineData("""{"room": "Cyan"}""")]
    [InlineData("""{"room": "Cyan", "text": "   "}""")]
    [InlineData("""{"text": "x"}""")]
    [InlineData("""{"room": "Cyan", "text": "x""")]
    [InlineData("""{"room": "Cyan", "text": "\uD800"}""")]
    public async Task Chat_send_with_a_bad_body_is_400_and_never_reaches_the_chat_actor(string body)
    {
        _h.Chat.Reply = _ => new ChatProtocol.ChatAccepted("never");

        using var response = await _h.Http.PostAsync("api/chat", ApiHarness.Json(body));

        await ApiHarness.ErrorAsync(response, 400);
        Assert.Empty(_h.Chat.Received);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_a_huge_one_413()
    {
        using var plain = await _h.Http.PostAsync("api/chat", ApiHarness.Json("""{"room": "Cyan", "text": "x"}""", "text/plain"));
        await ApiHarness.ErrorAsync(plain, 415);

        var huge = $$"""{"room": "Cyan", "text": "{{new string('x', 100 * 1024)}}"}""";
        using var tooLarge = await _h.Http.PostAsync("api/chat", ApiHarness.Json(huge));
        Assert.Contains("65536", await ApiHarness.ErrorAsync(tooLarge, 413));

        // The same without a Content-Length: the limit holds while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "api/chat")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))) { Headers = { ContentType = new("application/json") } },
        };
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await _h.Http.SendAsync(chunked);
        await ApiHarness.ErrorAsync(chunkedResponse, 413);
        Assert.Empty(_h.Chat.Received);
    }

    [Theory]
    [InlineData("911 Alert", EmergencyProtocol.EmergencyType.Alert911)]
    [InlineData("Ring The Bell", EmergencyProtocol.EmergencyType.RingTheBell)]
    [InlineData("in contact", EmergencyProtocol.EmergencyType.InContact)]
    public async Task Emergency_raise_is_202_with_its_outbox_key(string type, EmergencyProtocol.EmergencyType expected)
    {
        _h.Emergency.Reply = m => m is EmergencyProtocol.RaiseEmergency ? new EmergencyProtocol.EmergencyAccepted("ANDROID-viper-9-1-1|1700000000000") : null;

        using var response = await _h.Http.PostAsync("api/emergency", ApiHarness.Json($$"""{"type": "{{type}}"}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("ANDROID-viper-9-1-1|1700000000000", (await ApiHarness.BodyAsync(response)).GetProperty("key").GetString());
        Assert.Equal(new EmergencyProtocol.RaiseEmergency(expected), Assert.Single(_h.Emergency.Received));
    }

    [Theory]
    [InlineData("""{"type": "Zombie Apocalypse"}""")]
    [InlineData("""{"type": 911}""")]
    [InlineData("""{}""")]
    [InlineData("""{"type": null}""")]
    public async Task Emergency_raise_of_an_unknown_type_is_400(string body)
    {
        using var response = await _h.Http.PostAsync("api/emergency", ApiHarness.Json(body));

        await ApiHarness.ErrorAsync(response, 400);
        Assert.Empty(_h.Emergency.Received);
    }

    [Fact]
    public async Task Emergency_raise_and_cancel_over_the_rate_limit_are_429_with_retry_after()
    {
        _h.Emergency.Reply = _ => new EmergencyProtocol.EmergencyRateLimited(TimeSpan.FromSeconds(3.2));

        using var raise = await _h.Http.PostAsync("api/emergency", ApiHarness.Json("""{"type": "911 Alert"}"""));
        using var cancel = await _h.Http.DeleteAsync("api/emergency");

        foreach (var response in new[] { raise, cancel })
        {
            await ApiHarness.ErrorAsync(response, 429);
            Assert.Equal(TimeSpan.FromSeconds(4), response.Headers.RetryAfter?.Delta);
        }

        Assert.Equal(4, (await ApiHarness.BodyAsync(raise)).GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task Emergency_cancel_is_202_or_404_when_nothing_is_active()
    {
        _h.Emergency.Reply = _ => new EmergencyProtocol.EmergencyAccepted("ANDROID-viper-9-1-1|1700000005000");
        using var cancelled = await _h.Http.DeleteAsync("api/emergency");
        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        Assert.Equal("ANDROID-viper-9-1-1|1700000005000", (await ApiHarness.BodyAsync(cancelled)).GetProperty("key").GetString());

        _h.Emergency.Reply = _ => EmergencyProtocol.NoActiveEmergency.Instance;
        using var nothing = await _h.Http.DeleteAsync("api/emergency");
        await ApiHarness.ErrorAsync(nothing, 404);
        Assert.All(_h.Emergency.Received, m => Assert.IsType<EmergencyProtocol.CancelEmergency>(m));
    }

    [Fact]
    public async Task Emergency_state_names_the_active_type_as_atak_does()
    {
        _h.Emergency.Reply = _ => new EmergencyProtocol.EmergencyState(
            EmergencyProtocol.EmergencyType.RingTheBell,
            [new("k1", "b-a-o-pan", DateTime.UtcNow, 2, ["ANDROID-hawk"])],
            []);

        using var response = await _h.Http.GetAsync("api/emergency");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiHarness.BodyAsync(response);
        Assert.Equal("Ring The Bell", body.GetProperty("active").GetString());
        Assert.Equal("b-a-o-pan", body.GetProperty("outbox")[0].GetProperty("cotType").GetString());
    }

    [Fact]
    public async Task An_actor_that_does_not_answer_is_503_not_a_hung_request()
    {
        _h.Contacts.Reply = _ => null;

        var started = DateTime.UtcNow;
        using var response = await _h.Http.GetAsync("api/contacts");

        Assert.Contains("did not answer", await ApiHarness.ErrorAsync(response, 503));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_actor_answering_something_unknown_is_502()
    {
        _h.Mesh.Reply = _ => "what?";

        using var response = await _h.Http.GetAsync("api/status");

        await ApiHarness.ErrorAsync(response, 502);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_get_the_same_error_body()
    {
        using var missing = await _h.Http.GetAsync("api/nothing-here");
        Assert.Contains("/api/nothing-here", await ApiHarness.ErrorAsync(missing, 404));

        using var wrongMethod = await _h.Http.PutAsync("api/contacts", ApiHarness.Json("{}"));
        await ApiHarness.ErrorAsync(wrongMethod, 405);
    }

    [Fact]
    public async Task Without_a_token_only_loopback_host_names_are_answered()
    {
        _h.Contacts.Reply = _ => new ContactsProtocol.ContactList([]);
        foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]" })
        {
            using var ok = new HttpRequestMessage(HttpMethod.Get, "api/contacts") { Headers = { Host = $"{host}:{_h.Api.Url.Port}" } };
            Assert.Equal(HttpStatusCode.OK, (await _h.Http.SendAsync(ok)).StatusCode);
        }

        // What a page served from evil.example sends after pointing its name at 127.0.0.1.
        using var rebound = new HttpRequestMessage(HttpMethod.Post, "api/emergency")
        {
            Headers = { Host = "evil.example" },
            Content = ApiHarness.Json("""{"type": "911 Alert"}"""),
        };
        await ApiHarness.ErrorAsync(await _h.Http.SendAsync(rebound), 400);
        Assert.Empty(_h.Emergency.Received);
    }
}
