using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TakCan.Actors.Tests.Servers.MartiApi;

/// <summary>
/// The channels and DataSync half of a TAK Server's HTTPS API (8443), on Kestrel at 127.0.0.1 with a port of its
/// choosing. Like TAK Server it requires a client certificate from its CA (<see cref="TestPki"/>), answers in its
/// <c>ApiResponse</c> envelope, builds mission CoT by string concatenation, and serves a mission's CoT only with a
/// mission token issued by its subscription endpoint (as <c>hasPermission(MISSION_READ)</c> does for a token role).
/// Every request is recorded.
/// </summary>
internal sealed class FakeMartiApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    private FakeMartiApi(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUri => new($"https://127.0.0.1:{Port}/");

    public ConcurrentQueue<MartiRequest> Requests { get; } = new();

    /// <summary>Group records (one per name and direction), as <c>groups/all?useCache=true</c> lists them.</summary>
    public List<FakeGroup> Groups { get; } =
    [
        new("__ANON__", "OUT", 2, true),
        new("__ANON__", "IN", 2, true),
        new("Blue", "OUT", 5, false, "Blue team"),
        new("Blue", "IN", 5, false, "Blue team"),
        new("Red", "OUT", 7, true),
    ];

    public ConcurrentDictionary<string, FakeMission> Missions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Bytes served by hash; a test may serve other bytes than the hash names.</summary>
    public ConcurrentDictionary<string, byte[]> Contents { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static async Task<FakeMartiApi> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var pki = TestPki.Shared;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate ?? pki.Server,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => TestPki.ChainsTo(certificate, pki.Ca, TestPki.ClientUsage),
        })));
        var app = builder.Build();
        FakeMartiApi? server = null;

        app.Use(async (context, next) =>
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
            context.Items["body"] = body;
            server!.Requests.Enqueue(new MartiRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers["MissionAuthorization"].ToString(),
                context.Request.Headers.Accept.ToString(),
                body,
                context.Connection.ClientCertificate?.Thumbprint));
            await next(context);
        });

        app.MapGet("/Marti/api/groups/all", () => server!.GroupsJson());
        app.MapPut("/Marti/api/groups/active", (HttpContext context) => server!.SetActive((string)context.Items["body"]!));
        app.MapGet("/Marti/api/missions", () => Envelope("Mission", server!.Missions.Values.OrderBy(m => m.Name).Select(m => m.Json()).ToArray()));
        app.MapGet("/Marti/api/missions/{name}", (string name) => server!.Missions.TryGetValue(name, out var mission)
            ? Envelope("Mission", new[] { mission.Json() })
            : Results.NotFound());
        app.MapPut("/Marti/api/missions/{name}/subscription", (string name, string? uid) => server!.Subscribe(name, uid));
        app.MapGet("/Marti/api/missions/{name}/cot", (HttpContext context, string name) => server!.Cot(context, name));
        app.MapGet("/Marti/sync/content", (string? hash) => hash is not null && server!.Contents.TryGetValue(hash, out var bytes)
            ? Results.Bytes(bytes, "application/octet-stream")
            : Results.NotFound());

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeMartiApi(app, new Uri(address).Port);
        return server;
    }

    /// <summary>Adds a mission with the given CoT and contents; each content is served with its own bytes.</summary>
    public FakeMission AddMission(string name, IEnumerable<string> cotEvents, params (string Filename, byte[] Bytes)[] contents)
    {
        var resources = contents.Select(c => new FakeContent(Convert.ToHexStringLower(SHA256.HashData(c.Bytes)), c.Filename, c.Bytes.Length)).ToList();
        foreach (var (content, resource) in contents.Zip(resources)) Contents[resource.Hash] = content.Bytes;
        var mission = new FakeMission(name, cotEvents.ToList(), resources);
        Missions[name] = mission;
        return mission;
    }

    /// <summary>Every token issued so far stops working, as after a server restart with a new signing key.</summary>
    public void ExpireTokens() => _tokens.Clear();

    public IEnumerable<MartiRequest> RequestsTo(string pathStart) => Requests.Where(r => r.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Envelope(string type, object data) =>
        Results.Text(JsonSerializer.Serialize(new { version = "3", type, data, nodeId = "fake-node" }), "application/json");

    private IResult GroupsJson()
    {
        lock (Groups)
            return Envelope("com.bbn.marti.remote.groups.Group", Groups.Select(g => g.Json()).ToArray());
    }

    private IResult SetActive(string body)
    {
        using var document = JsonDocument.Parse(body);
        lock (Groups)
        {
            foreach (var record in document.RootElement.EnumerateArray())
            {
                var name = record.GetProperty("name").GetString();
                var direction = record.GetProperty("direction").GetString();
                var index = Groups.FindIndex(g => g.Name == name && g.Direction == direction);
                if (index < 0) return Results.BadRequest();
                Groups[index] = Groups[index] with { Active = record.GetProperty("active").GetBoolean() };
            }
        }

        return Results.Ok();
    }

    private IResult Subscribe(string name, string? uid)
    {
        if (!Missions.TryGetValue(name, out var mission)) return Results.NotFound();
        if (string.IsNullOrEmpty(uid)) return Results.BadRequest();
        var token = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _tokens[token] = mission.Name;
        var subscription = new
        {
            token,
            clientUid = uid,
            username = "alice",
            createTime = "2025-11-27T10:00:00.0Z",
            role = new { type = "MISSION_SUBSCRIBER", permissions = new[] { "MISSION_READ", "MISSION_WRITE" } },
            mission = mission.Json(),
        };
        return Results.Text(JsonSerializer.Serialize(new { version = "3", type = "com.bbn.marti.sync.model.MissionSubscription", data = subscription }),
            "application/json", statusCode: StatusCodes.Status201Created);
    }

    private IResult Cot(HttpContext context, string name)
    {
        if (!Missions.TryGetValue(name, out var mission)) return Results.NotFound();
        var header = context.Request.Headers["MissionAuthorization"].ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(header["Bearer ".Length..], out var forMission) ||
            !string.Equals(forMission, mission.Name, StringComparison.OrdinalIgnoreCase))
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var xml = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><events>" + string.Concat(mission.Cot.Select(e => e + "\n")) + "</events>";
        return Results.Text(xml, "application/xml");
    }
}

internal sealed record MartiRequest(string Method, string PathAndQuery, string MissionAuthorization, string Accept, string Body, string? ClientThumbprint);

internal sealed record FakeGroup(string Name, string Direction, int Bitpos, bool Active, string? Description = null)
{
    public object Json() => Description is null
        ? new { name = Name, direction = Direction, created = "2025-01-01", type = "SYSTEM", bitpos = Bitpos, active = Active }
        : new { name = Name, direction = Direction, created = "2025-01-01", type = "SYSTEM", bitpos = Bitpos, active = Active, description = Description };
}

internal sealed record FakeContent(string Hash, string Filename, long Size);

internal sealed record FakeMission(string Name, List<string> Cot, List<FakeContent> Contents)
{
    public object Json() => new
    {
        name = Name,
        description = $"{Name} mission",
        chatRoom = "",
        tool = "public",
        keywords = new[] { "exercise" },
        creatorUid = "ANDROID-creator",
        createTime = "2025-11-27T09:30:00.000Z",
        groups = new[] { "__ANON__" },
        guid = "4f3c2b1a-0000-4000-8000-000000000001",
        passwordProtected = false,
        inviteOnly = false,
        uids = Cot.Select((_, i) => new { data = $"uid-{i}", timestamp = "2025-11-27T09:31:00.000Z", creatorUid = "ANDROID-creator" }).ToArray(),
        contents = Contents.Select(c => new
        {
            data = new
            {
                filename = c.Filename,
                keywords = Array.Empty<string>(),
                mimeType = "application/octet-stream",
                name = c.Filename,
                submissionTime = "2025-11-27T09:32:00.0Z",
                submitter = "alice",
                uid = Guid.NewGuid().ToString(),
                creatorUid = "ANDROID-creator",
                hash = c.Hash,
                size = c.Size,
                tool = "public",
            },
            timestamp = "2025-11-27T09:32:00.000Z",
            creatorUid = "ANDROID-creator",
        }).ToArray(),
    };
}
