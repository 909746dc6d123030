using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using TakCan.Actors.Ui;
using TakCan.Host.Console.Api;

namespace TakCan.Host.Console.Tests.Api;

/// <summary>A local API on 127.0.0.1 and a free port, in front of canned actors and a real <see cref="UiActor"/>.</summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    public static readonly ApiNode Node = new("VIPER", "ANDROID-viper", "Cyan", "Team Lead", "00112233445566778899aabbccddeeff");

    private ApiHarness(ActorSystem system, LocalApiHandle api, HttpClient http)
    {
        System = system;
        Api = api;
        Http = http;
    }

    public ActorSystem System { get; }

    public LocalApiHandle Api { get; }

    public HttpClient Http { get; }

    public IActorRef Ui { get; private init; } = ActorRefs.Nobody;

    public CannedActor Mesh { get; private init; } = null!;

    public CannedActor Contacts { get; private init; } = null!;

    public CannedActor Chat { get; private init; } = null!;

    public CannedActor Emergency { get; private init; } = null!;

    public static async Task<ApiHarness> StartAsync(LocalApiOptions? options = null)
    {
        var system = ActorSystem.Create("api-tests", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            """));
        var ui = system.ActorOf(UiActor.Props(), "ui");
        var device = new CannedActor(system, "device");
        var mesh = new CannedActor(system, "mesh");
        var contacts = new CannedActor(system, "contacts");
        var chat = new CannedActor(system, "chat");
        var emergency = new CannedActor(system, "emergency");
        var targets = new ApiTargets(Node, device.Ref, ui, contacts.Ref, chat.Ref, emergency.Ref, mesh.Ref);
        options ??= new LocalApiOptions();
        if (options.Url == LocalApiOptions.DefaultUrl) options = options with { Url = "http://127.0.0.1:0" };

        LocalApiHandle api;
        try
        {
            api = await LocalApi.StartAsync(targets, options);
        }
        catch
        {
            await system.Terminate();
            throw;
        }

        var port = api.Url.Port;
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        return new ApiHarness(system, api, http) { Ui = ui, Mesh = mesh, Contacts = contacts, Chat = chat, Emergency = emergency };
    }

    public static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Asserts the status and the <c>{"error": "…"}</c> body every failure has; returns the error.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        var error = (await BodyAsync(response)).GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        await System.Terminate();
    }
}
