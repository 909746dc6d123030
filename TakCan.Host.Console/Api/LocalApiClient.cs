using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Api;

/// <summary>Talks to a running node through its local API (the <c>takcan</c> client verbs use it).</summary>
public sealed class LocalApiClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="baseUrl">e.g. <c>http://127.0.0.1:8780</c>.</param>
    /// <exception cref="LocalApiCallException"><paramref name="baseUrl"/> is not an http URL.</exception>
    public LocalApiClient(string baseUrl, string? token = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl.TrimEnd('/');
        if (!Uri.TryCreate(BaseUrl + "/", UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new LocalApiCallException($"the API URL must look like {LocalApiOptions.DefaultUrl}, not '{baseUrl}'");
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        _http = new HttpClient { BaseAddress = uri, Timeout = Timeout };
        if (!string.IsNullOrWhiteSpace(token)) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
    }

    public string BaseUrl { get; }

    public TimeSpan Timeout { get; }

    public Task<StatusResponse> GetStatusAsync(CancellationToken cancellationToken = default) =>
        SendAsync<StatusResponse>(HttpMethod.Get, "api/status", null, cancellationToken);

    public Task<ContactsResponse> GetContactsAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ContactsResponse>(HttpMethod.Get, "api/contacts", null, cancellationToken);

    public Task<ChatLogResponse> GetChatLogAsync(string? room = null, CancellationToken cancellationToken = default) =>
        SendAsync<ChatLogResponse>(HttpMethod.Get, room is null ? "api/chat" : $"api/chat?room={Uri.EscapeDataString(room)}", null, cancellationToken);

    public Task<ChatAcceptedResponse> SendChatAsync(string room, string text, CancellationToken cancellationToken = default) =>
        SendAsync<ChatAcceptedResponse>(HttpMethod.Post, "api/chat", new SendChatRequest(room, text), cancellationToken);

    public Task<EmergencyStateResponse> GetEmergencyStateAsync(CancellationToken cancellationToken = default) =>
        SendAsync<EmergencyStateResponse>(HttpMethod.Get, "api/emergency", null, cancellationToken);

    /// <param name="type">"911 Alert", "Ring The Bell" or "In Contact" (<see cref="EmergencyTypes"/>).</param>
    public Task<EmergencyAcceptedResponse> RaiseEmergencyAsync(string type, CancellationToken cancellationToken = default) =>
        SendAsync<EmergencyAcceptedResponse>(HttpMethod.Post, "api/emergency", new RaiseEmergencyRequest(type), cancellationToken);

    public Task<EmergencyAcceptedResponse> CancelEmergencyAsync(CancellationToken cancellationToken = default) =>
        SendAsync<EmergencyAcceptedResponse>(HttpMethod.Delete, "api/emergency", null, cancellationToken);

    public Task<ServersResponse> GetServersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<ServersResponse>(HttpMethod.Get, "api/servers", null, cancellationToken);

    public Task<ServerResponse> AddServerAsync(AddServerRequest server, CancellationToken cancellationToken = default) =>
        SendAsync<ServerResponse>(HttpMethod.Post, "api/servers", server, cancellationToken);

    public Task RemoveServerAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<object?>(HttpMethod.Delete, $"api/servers/{Uri.EscapeDataString(name)}", null, cancellationToken);

    /// <summary>Enrolment talks to the TAK Server for up to a minute: give this client a <see cref="Timeout"/> to match.</summary>
    public Task<EnrolledResponse> EnrollServerAsync(EnrollServerRequest enrolment, CancellationToken cancellationToken = default) =>
        SendAsync<EnrolledResponse>(HttpMethod.Post, "api/servers/enroll", enrolment, cancellationToken);

    /// <param name="package">A TAK server-connection data package (.zip).</param>
    /// <param name="name">Name of the first connection's server; null: named after its host.</param>
    public Task<ImportedResponse> ImportServersAsync(ReadOnlyMemory<byte> package, string? name = null, CancellationToken cancellationToken = default)
    {
        var content = new ReadOnlyMemoryContent(package);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return SendAsync<ImportedResponse>(HttpMethod.Post, name is null ? "api/servers/import" : $"api/servers/import?name={Uri.EscapeDataString(name)}", content, cancellationToken);
    }

    /// <param name="server">A configured server; null when the node has exactly one.</param>
    public Task<MissionsResponse> ListMissionsAsync(string? server = null, CancellationToken cancellationToken = default) =>
        SendAsync<MissionsResponse>(HttpMethod.Get, server is null ? "api/missions" : $"api/missions?server={Uri.EscapeDataString(server)}", null, cancellationToken);

    public Task<MissionSubscribedResponse> SubscribeMissionAsync(string? server, string mission, CancellationToken cancellationToken = default) =>
        SendAsync<MissionSubscribedResponse>(HttpMethod.Post, "api/missions/subscribe", new MissionRequest(server, mission), cancellationToken);

    /// <summary>A pull fetches every file of the mission before the node answers: give this client a <see cref="Timeout"/> to match.</summary>
    public Task<MissionPulledResponse> PullMissionAsync(string? server, string mission, CancellationToken cancellationToken = default) =>
        SendAsync<MissionPulledResponse>(HttpMethod.Post, "api/missions/pull", new MissionRequest(server, mission), cancellationToken);

    public Task<BridgeResponse> GetBridgeAsync(CancellationToken cancellationToken = default) =>
        SendAsync<BridgeResponse>(HttpMethod.Get, "api/bridge", null, cancellationToken);

    /// <param name="node">The peer's mesh node id, 32 hex digits.</param>
    public Task RemoveBridgePeerAsync(string node, CancellationToken cancellationToken = default) =>
        SendAsync<object?>(HttpMethod.Delete, $"api/bridge/peers/{Uri.EscapeDataString(node)}", null, cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <param name="body">Sent as JSON, or as it is when it is already <see cref="HttpContent"/>.</param>
    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is HttpContent content) request.Content = content;
        else if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new LocalApiCallException($"no node answering at {BaseUrl} — start one with `takcan node`", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LocalApiCallException(
                string.Create(CultureInfo.InvariantCulture, $"the node at {BaseUrl} did not answer within {Timeout.TotalSeconds:0.#} s"), inner: e);
        }
        catch (HttpRequestException e)
        {
            throw new LocalApiCallException($"cannot talk to the node at {BaseUrl}: {e.Message}", inner: e);
        }

        using (response)
        {
            try
            {
                if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return default!;
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
                           ?? throw new JsonException("empty answer");
                }

                var error = response.Content.Headers.ContentType?.MediaType == "application/json"
                    ? await response.Content.ReadFromJsonAsync<ErrorResponse>(ApiJson.Options, cancellationToken)
                    : null;
                throw new LocalApiCallException(
                    error?.Error ?? $"the node answered {(int)response.StatusCode} {response.ReasonPhrase}",
                    (int)response.StatusCode)
                {
                    RetryAfter = response.Headers.RetryAfter?.Delta,
                };
            }
            catch (JsonException e)
            {
                throw new LocalApiCallException(
                    $"{BaseUrl} answered {(int)response.StatusCode} with something that is not TAK Can's API: {e.Message}", (int)response.StatusCode, e);
            }
        }
    }
}
