using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Ui;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;
using static TakCan.Actors.Ui.UiProtocol;

namespace TakCan.Host.Console.Tests.Api;

public sealed class LocalApiEventsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private ApiHarness _h = null!;

    public async Task InitializeAsync() => _h = await ApiHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Events_stream_everything_the_ui_actor_fans_out_as_json_with_kind_and_payload()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var responseTask = _h.Http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await AwaitSubscribersAsync(1);

        var now = DateTime.UtcNow;
        var cot = new CotEvent { Uid = "ANDROID-hawk", Type = "a-f-G-U-C", How = "m-g", Time = now, Start = now, Stale = now.AddMinutes(2) };
        _h.Ui.Tell(new DeviceProtocol.CotReceived(cot, new CotSource(CotSourceKind.Mesh, "udp", 1, "0f0e0d0c")));
        _h.Ui.Tell(new UiEvent(UiEventKinds.Chat, Samples.ChatMessage("m-7", "Cyan", "moving to RV"), now));
        _h.Ui.Tell(new MeshProtocol.PeerJoined(4, "udp", "10.0.0.7:4242", new MeshPeerInfo(NodeId.Parse("0f0e0d0c0b0a09080706050403020100"), "Cyan")));

        using var response = await responseTask;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement);
            if (events.Count == 3) break;
        }

        Assert.Equal(["cot", "chat", "peer-joined"], events.Select(e => e.GetProperty("kind").GetString()));
        var cotPayload = events[0].GetProperty("payload");
        Assert.Equal("ANDROID-hawk", cotPayload.GetProperty("event").GetProperty("uid").GetString());
        Assert.Equal("a-f-G-U-C", cotPayload.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("mesh", cotPayload.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal(1, cotPayload.GetProperty("source").GetProperty("hops").GetInt32());
        Assert.Equal("moving to RV", events[1].GetProperty("payload").GetProperty("text").GetString());
        Assert.Equal("delivered", events[1].GetProperty("payload").GetProperty("state").GetString());
        Assert.Equal("0f0e0d0c0b0a09080706050403020100", events[2].GetProperty("payload").GetProperty("peer").GetProperty("node").GetString());
    }

    [Fact]
    public async Task A_client_that_leaves_gives_its_queue_back()
    {
        using (var response = await _h.Http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead))
        {
            await AwaitSubscribersAsync(1);
            _h.Ui.Tell(new UiEvent(UiEventKinds.Emergency, "raised", DateTime.UtcNow));
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
        }

        await AwaitSubscribersAsync(0);
    }

    [Fact]
    public async Task Stopping_the_api_ends_open_streams_at_once()
    {
        using var response = await _h.Http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead);
        await AwaitSubscribersAsync(1);

        var started = DateTime.UtcNow;
        await _h.Api.DisposeAsync();

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), $"stopping took {DateTime.UtcNow - started}");
        await AwaitSubscribersAsync(0);
    }

    [Fact]
    public async Task A_payload_that_cannot_be_json_is_reported_in_place_and_the_stream_goes_on()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var response = await _h.Http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await AwaitSubscribersAsync(1);

        _h.Ui.Tell(new UiEvent("odd", new Action(() => { }), DateTime.UtcNow));
        _h.Ui.Tell(new UiEvent(UiEventKinds.Emergency, new { active = "911 Alert" }, DateTime.UtcNow));

        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var events = new List<JsonElement>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            events.Add(JsonDocument.Parse(item.Data).RootElement);
            if (events.Count == 2) break;
        }

        Assert.Contains("cannot be shown", events[0].GetProperty("payload").GetProperty("error").GetString());
        Assert.Equal("911 Alert", events[1].GetProperty("payload").GetProperty("active").GetString());
    }

    private async Task AwaitSubscribersAsync(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var stats = await _h.Ui.Ask<UiStats>(GetUiStats.Instance, Patience);
            if (stats.Subscribers.Count == count) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"the UI actor has {stats.Subscribers.Count} subscriber(s), not {count}");
            await Task.Delay(20);
        }
    }
}
