using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using TakCan.Host.Console.Tests.Api;

namespace TakCan.Host.Console.Tests.Servers;

/// <summary><c>/api/servers</c> against a real servers actor: status codes, validation and what the answers show.</summary>
public sealed class ServersApiTests : IAsyncLifetime
{
    private ServersApiHarness _h = null!;
    private TcpListener _tak = null!;

    public async Task InitializeAsync()
    {
        _h = await ServersApiHarness.StartAsync();
        // Somewhere for links to connect to; it never says a word, so they stay connecting.
        _tak = new TcpListener(IPAddress.Loopback, 0);
        _tak.Start();
    }

    public async Task DisposeAsync()
    {
        _tak.Stop();
        await _h.DisposeAsync();
    }

    private string TakUrl => $"tcp://127.0.0.1:{((IPEndPoint)_tak.LocalEndpoint).Port}";

    [Fact]
    public async Task Add_list_and_remove_a_server()
    {
        using var added = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""{"name": "ops", "url": "{{TakUrl}}", "user": "alice", "userPassword": "hunter2-secret"}"""));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var body = await ApiHarness.BodyAsync(added);
        Assert.Equal("ops", body.GetProperty("name").GetString());
        Assert.Equal(TakUrl, body.GetProperty("url").GetString());
        Assert.Equal("alice", body.GetProperty("user").GetString());

        using var listed = await _h.Http.GetAsync("api/servers");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var text = await listed.Content.ReadAsStringAsync();
        var server = Assert.Single((await ApiHarness.BodyAsync(listed)).GetProperty("servers").EnumerateArray());
        Assert.Equal("ops", server.GetProperty("name").GetString());
        Assert.Equal(TakUrl, server.GetProperty("status").GetProperty("endpoint").GetString());
        Assert.Contains(server.GetProperty("status").GetProperty("state").GetString(), new[] { "connecting", "connected", "backoff" });
        Assert.DoesNotContain("hunter2-secret", text);
        Assert.Contains("hunter2-secret", await File.ReadAllTextAsync(_h.ServersFile));

        using var removed = await _h.Http.DeleteAsync("api/servers/ops");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var again = await _h.Http.DeleteAsync("api/servers/ops");
        Assert.Contains("ops", await ApiHarness.ErrorAsync(again, 404));
        using var empty = await _h.Http.GetAsync("api/servers");
        Assert.Empty((await ApiHarness.BodyAsync(empty)).GetProperty("servers").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"url": "tcp://127.0.0.1:8087"}""", 400, "name is required")]
    [InlineData("""{"name": "ops"}""", 400, "url is required")]
    [InlineData("""{"name": "ops", "url": "http://tak.example.org:8087"}""", 400, "tcp://HOST:PORT or ssl://HOST:PORT")]
    [InlineData("""{"name": "../ops", "url": "tcp://127.0.0.1:8087"}""", 400, "not a server name")]
    [InlineData("""{"name": "ops", "url": "ssl://127.0.0.1:8089", "cert": "/nonexistent/client.p12", "password": "p"}""", 400, "needs the CA")]
    [InlineData("""{"name": "ops", "url": "ssl://127.0.0.1:8089", "cert": "client.p12", "ca": "/nonexistent/ca.pem"}""", 400, "full path")]
    [InlineData("""{"name": "ops", "url": "ssl://127.0.0.1:8089", "cert": "/nonexistent/client.p12", "ca": "/nonexistent/ca.pem"}""", 400, "/nonexistent/ca.pem")]
    [InlineData("""{"name": "ops", "url": "tcp://127.0.0.1:8087", "user": "alice"}""", 400, "both a user name and a password")]
    [InlineData("""{"name": "ops", "url": "tcp://127.0.0.1:8087", "martiUrl": "http://127.0.0.1:8443"}""", 400, "the API url must be https://HOST:PORT")]
    [InlineData("""{"name": "ops", "url": 8087}""", 400, "malformed")]
    [InlineData("""{"name": "ops", "url": "tcp://127.0.0.1:8087"}""", 415, "JSON", "text/plain")]
    public async Task Refuses_a_server_no_link_could_use(string json, int status, string error, string mediaType = "application/json")
    {
        using var response = await _h.Http.PostAsync("api/servers", ApiHarness.Json(json, mediaType));

        Assert.Contains(error, await ApiHarness.ErrorAsync(response, status));
        Assert.False(File.Exists(_h.ServersFile));
    }

    [Fact]
    public async Task A_name_is_taken_once_whatever_its_case()
    {
        using var first = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""{"name": "ops", "url": "{{TakUrl}}"}"""));
        using var second = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""{"name": "OPS", "url": "{{TakUrl}}"}"""));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("already configured", await ApiHarness.ErrorAsync(second, 409));
    }

    [Theory]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "user": "alice", "password": "p"}""", 400, "trust is required")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "code": "127.0.0.1", "user": "alice", "password": "p", "trust": "first-use"}""", 400, "either code")]
    [InlineData("""{"name": "ops", "user": "alice", "password": "p", "trust": "first-use"}""", 400, "either code")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "password": "p", "trust": "first-use"}""", 400, "user is required")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "user": "alice", "trust": "first-use"}""", 400, "password is required")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "user": "alice", "password": "p", "trust": "pin:abc"}""", 400, "64 hex digits")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "user": "alice", "password": "p", "trust": "ca:ca.pem"}""", 400, "full path")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1", "user": "alice", "password": "p", "trust": "anything"}""", 400, "first-use")]
    [InlineData("""{"name": "ops", "code": "tak://com.atakmap.app/import?x=1", "trust": "first-use"}""", 400, "not an enrolment code")]
    [InlineData("""{"name": "ops", "host": "127.0.0.1:8087:tcp", "user": "alice", "password": "p", "trust": "first-use"}""", 400, "TLS stream")]
    public async Task Enrolment_refuses_what_it_cannot_enrol_with(string json, int status, string error)
    {
        using var response = await _h.Http.PostAsync("api/servers/enroll", ApiHarness.Json(json));

        Assert.Contains(error, await ApiHarness.ErrorAsync(response, status));
    }

    [Fact]
    public async Task Enrolment_that_cannot_reach_the_server_is_a_502_and_adds_nothing()
    {
        var closed = FreePort();
        var json = $$"""{"name": "ops", "code": "tak://com.atakmap.app/enroll?host=127.0.0.1&username=alice&token=t0ken", "trust": "first-use", "enrolmentPort": {{closed}}}""";

        using var response = await _h.Http.PostAsync("api/servers/enroll", ApiHarness.Json(json));

        Assert.Contains($"could not reach the enrolment service at 127.0.0.1:{closed}", await ApiHarness.ErrorAsync(response, 502));
        using var listed = await _h.Http.GetAsync("api/servers");
        Assert.Empty((await ApiHarness.BodyAsync(listed)).GetProperty("servers").EnumerateArray());
    }

    [Fact]
    public async Task Imports_a_data_package_sent_raw_or_as_a_form()
    {
        var package = ServersApiHarness.TcpPackage("127.0.0.1:8087:tcp", "127.0.0.1:8088:tcp");
        var raw = new ByteArrayContent(package);
        raw.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var form = new MultipartFormDataContent { { new ByteArrayContent(package), "package", "ops.zip" }, { new StringContent("field"), "name" } };

        using var byHost = await _h.Http.PostAsync("api/servers/import", raw);
        using var named = await _h.Http.PostAsync("api/servers/import", form);

        Assert.Equal(HttpStatusCode.Created, byHost.StatusCode);
        Assert.Equal(["127.0.0.1", "127.0.0.1-2"], (await ApiHarness.BodyAsync(byHost)).GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        var servers = (await ApiHarness.BodyAsync(named)).GetProperty("servers").EnumerateArray().ToList();
        Assert.Equal(["field", "field-2"], servers.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(["tcp://127.0.0.1:8087", "tcp://127.0.0.1:8088"], servers.Select(s => s.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task Import_refuses_what_is_not_a_package()
    {
        var notZip = new ByteArrayContent("PK but not really"u8.ToArray());
        notZip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var taken = new ByteArrayContent(ServersApiHarness.TcpPackage("127.0.0.1:8087:tcp"));
        taken.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var first = await _h.Http.PostAsync("api/servers", ApiHarness.Json($$"""{"name": "ops", "url": "{{TakUrl}}"}"""));

        using var json = await _h.Http.PostAsync("api/servers/import", ApiHarness.Json("{}"));
        using var garbage = await _h.Http.PostAsync("api/servers/import", notZip);
        using var nothing = await _h.Http.PostAsync("api/servers/import", empty);
        using var conflict = await _h.Http.PostAsync("api/servers/import?name=ops", taken);

        Assert.Contains("application/zip", await ApiHarness.ErrorAsync(json, 415));
        await ApiHarness.ErrorAsync(garbage, 400);
        Assert.Contains("empty", await ApiHarness.ErrorAsync(nothing, 400));
        Assert.Contains("already configured", await ApiHarness.ErrorAsync(conflict, 409));
    }

    [Fact]
    public async Task A_package_is_not_held_to_the_json_body_limit()
    {
        var content = new ByteArrayContent(ServersApiHarness.TcpPackage(200 * 1024, "127.0.0.1:8087:tcp"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        using var response = await _h.Http.PostAsync("api/servers/import", content);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_node_without_a_servers_part_answers_503()
    {
        await using var plain = await ApiHarness.StartAsync();

        using var response = await plain.Http.GetAsync("api/servers");

        Assert.Contains("no TAK server links", await ApiHarness.ErrorAsync(response, 503));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
