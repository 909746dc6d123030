using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// TAK Server's HTTPS API (port 8443) as a device uses it for channels and DataSync missions (specs/marti.md). Every
/// request presents the device's client certificate; the server must chain to the configured CA certificates and to
/// nothing else, and name the host: there is no way to accept any certificate. Thread-safe; one instance per server.
/// The certificates stay the caller's: dispose them after the client.
/// </summary>
public sealed class MartiClient : IDisposable
{
    public const string GroupsPath = "Marti/api/groups/all?useCache=true";
    public const string ActiveGroupsPath = "Marti/api/groups/active";
    public const string MissionsPath = "Marti/api/missions";
    public const string ContentPath = "Marti/sync/content";
    public const string MissionAuthorizationHeader = "MissionAuthorization";

    // id-kp-serverAuth (RFC 5280, 4.2.1.12).

    private readonly MartiClientOptions _options;
    private readonly X509Certificate2Collection _authorities;
    private readonly string _serverName;
    private readonly string _where;
    private readonly HttpClient _http;
    private string? _refusal;

    /// <param name="baseUri">The API's address, <c>https://HOST:8443/</c> on a stock TAK Server.</param>
    /// <param name="clientCertificate">The device's certificate with its private key (enrolment or a data package).</param>
    /// <param name="authorities">The CA certificates the server's certificate must chain to.</param>
    /// <param name="clientChain">Intermediate certificates to present with the client certificate, if the server needs them.</param>
    public MartiClient(
        Uri baseUri,
        X509Certificate2 clientCertificate,
        X509Certificate2Collection authorities,
        MartiClientOptions? options = null,
        X509Certificate2Collection? clientChain = null)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(clientCertificate);
        ArgumentNullException.ThrowIfNull(authorities);
        if (!baseUri.IsAbsoluteUri || baseUri.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"{baseUri} is not an https:// address; TAK Server's API with client certificates is https://HOST:8443", nameof(baseUri));
        if (!clientCertificate.HasPrivateKey)
            throw new ArgumentException("the client certificate has no private key; a TAK Server accepts a device only with its key", nameof(clientCertificate));
        if (authorities.Count == 0)
            throw new ArgumentException("give at least one CA certificate to verify the server with", nameof(authorities));
        _options = options ?? MartiClientOptions.Default;
        if (_options.Protocols == SslProtocols.None || (_options.Protocols & ~(SslProtocols.Tls12 | SslProtocols.Tls13)) != 0)
            throw new ArgumentException($"TLS protocols {_options.Protocols}: only TLS 1.2 and 1.3 are allowed", nameof(options));

        _authorities = new X509Certificate2Collection(authorities);
        _serverName = _options.ServerName ?? baseUri.IdnHost;
        _where = $"{baseUri.IdnHost}:{baseUri.Port}";
        BaseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        var handler = new SocketsHttpHandler
        {
            // A redirect could take the mission token elsewhere; TAK Server does not redirect its API.
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = _options.Proxy is not null,
            Proxy = _options.Proxy,
            ConnectTimeout = _options.RequestTimeout,
            // Gzip would let a small answer inflate past the limits before they are counted.
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = _options.Protocols,
                // TAK Server CAs rarely publish CRLs or OCSP; a device is revoked on the server (specs/server-links.md, "TLS").
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                // Always present the certificate, whatever CA names the server hints at: the server decides.
                ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, clientChain, offline: true),
                RemoteCertificateValidationCallback = Validate,
            },
        };
        _http = new HttpClient(handler) { BaseAddress = BaseUri, Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri BaseUri { get; }

    public MartiLimits Limits => _options.Limits;

    /// <summary>The groups (channels) of this device's certificate, one record per direction, with their active bits.</summary>
    public async Task<IReadOnlyList<MartiGroup>> ListGroupsAsync(CancellationToken cancellationToken = default)
    {
        // useCache=true: without it TAK Server leaves out the IN records and reports no active bits of the user's choosing.
        var json = await SendAsync(HttpMethod.Get, GroupsPath, null, null, "application/json", _options.Limits.MaxJsonBytes, "its channels", cancellationToken);
        return MartiGroups.Parse(json, _options.Limits);
    }

    /// <summary>
    /// Sends the device's channel selection: <paramref name="groups"/> as read from <see cref="ListGroupsAsync"/>, each
    /// with the wanted <see cref="MartiGroup.Active"/>. TAK Server replaces the selection as a whole.
    /// </summary>
    /// <param name="clientUid">This device's uid; TAK Server then tells the device's other connections of the change.</param>
    public async Task SetActiveGroupsAsync(IEnumerable<MartiGroup> groups, string? clientUid = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var path = clientUid is null ? ActiveGroupsPath : $"{ActiveGroupsPath}?clientUid={Uri.EscapeDataString(clientUid)}";
        using var body = new ByteArrayContent(MartiGroups.ToActiveJson(groups));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await SendAsync(HttpMethod.Put, path, null, body, "application/json", _options.Limits.MaxJsonBytes, "the channel selection", cancellationToken);
    }

    /// <summary>The missions this device may see (TAK Server's public DataSync missions).</summary>
    public async Task<IReadOnlyList<MartiMission>> ListMissionsAsync(CancellationToken cancellationToken = default)
    {
        var json = await SendAsync(HttpMethod.Get, MissionsPath, null, null, "application/json", _options.Limits.MaxJsonBytes, "its missions", cancellationToken);
        return MartiMissions.ParseList(json, _options.Limits);
    }

    /// <summary>One mission with its uids and contents.</summary>
    /// <param name="token">The mission token from <see cref="SubscribeAsync"/>, sent as <c>MissionAuthorization: Bearer</c>.</param>
    public async Task<MartiMission> GetMissionAsync(string name, string? token = null, CancellationToken cancellationToken = default)
    {
        var json = await SendAsync(HttpMethod.Get, MissionPath(name), token, null, "application/json", _options.Limits.MaxJsonBytes,
            $"mission '{name}'", cancellationToken);
        return MartiMissions.ParseOne(json, name, _options.Limits);
    }

    /// <summary>
    /// Subscribes <paramref name="clientUid"/> to the mission's changes. The answer's token is the caller's to keep
    /// and pass to the mission's later requests.
    /// </summary>
    public async Task<MartiSubscription> SubscribeAsync(string name, string clientUid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientUid);
        var path = $"{MissionPath(name)}/subscription?uid={Uri.EscapeDataString(clientUid)}";
        var json = await SendAsync(HttpMethod.Put, path, null, null, "application/json", _options.Limits.MaxJsonBytes,
            $"a subscription to mission '{name}'", cancellationToken);
        return MartiSubscription.Parse(json, _options.Limits);
    }

    /// <summary>The latest event of each of the mission's uids; events that cannot be read are counted, not returned.</summary>
    public async Task<MissionCot> GetMissionCotAsync(string name, string? token, CancellationToken cancellationToken = default)
    {
        var xml = await SendAsync(HttpMethod.Get, $"{MissionPath(name)}/cot", token, null, "application/xml", _options.Limits.MaxCotBytes,
            $"the CoT of mission '{name}'", cancellationToken);
        return MissionCotReader.Read(xml, _options.Limits);
    }

    /// <summary>A content's bytes, at most <see cref="MartiLimits.MaxContentBytes"/>; the caller checks them against the hash.</summary>
    public Task<byte[]> GetContentAsync(string hash, string? token = null, CancellationToken cancellationToken = default)
    {
        var normalized = MartiContentHash.Normalize(hash);
        return SendAsync(HttpMethod.Get, $"{ContentPath}?hash={normalized}", token, null, "*/*", _options.Limits.MaxContentBytes,
            $"content {normalized}", cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static string MissionPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // EscapeDataString leaves dots alone, and a dot segment would be resolved away: the request (and the mission
        // token) would go to another endpoint.
        if (name is "." or "..") throw new MartiException($"'{name}' is not a mission name");
        return $"{MissionsPath}/{Uri.EscapeDataString(name)}";
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var refusal = Check(certificate, chain);
        if (refusal is not null) Volatile.Write(ref _refusal, refusal);
        return refusal is null;
    }

    /// <summary>
    /// The platform's verdict is against the system store; this one is against the configured CA only. The host name is
    /// checked here too, so <see cref="MartiClientOptions.ServerName"/> can name it.
    /// </summary>
    private string? Check(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is not X509Certificate2 leaf) return "the server presented no certificate";
        var fingerprint = EnrolmentTrust.Fingerprint(leaf);
        if (!leaf.MatchesHostname(_serverName))
            return $"its certificate ({leaf.Subject}, SHA-256 {fingerprint}) is not issued for '{_serverName}'; use a host name the certificate carries";

        if (ServerCertificateChain.Problems(leaf, presented, _authorities) is not { } problems) return null;
        return $"its certificate ({leaf.Subject}, issued by {leaf.Issuer}, SHA-256 {fingerprint}) does not chain to the configured CA ({problems}); " +
               "give the CA certificate of this server (the one enrolment stored)";
    }

    private async Task<byte[]> SendAsync(
        HttpMethod method, string pathAndQuery, string? token, HttpContent? content, string accept, long limit, string what,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (token is not null)
        {
            // TAK Server reads MissionAuthorization before Authorization (MissionServiceDefaultImpl.getRoleFromToken).
            if (token.Length == 0 || !token.All(c => c is > ' ' and <= '~'))
                throw new ArgumentException("a mission token is printable ASCII without spaces", nameof(token));
            request.Headers.TryAddWithoutValidation(MissionAuthorizationHeader, "Bearer " + token);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Refuse(response, what);
            return await ReadBoundedAsync(response.Content, limit, what, timeout.Token);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException && Volatile.Read(ref _refusal) is { } refusal)
        {
            throw new MartiException($"TAK Can does not trust {_where}: {refusal}", e);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException or IOException)
        {
            // TLS 1.3 (and .NET servers even with 1.2) refuse a client certificate after the client's side of the handshake.
            throw new MartiException(
                $"{_where} closed the connection while TAK Can asked for {what} ({e.Message}); a TAK Server does this when it refuses the device's certificate: enrol again or check the server's CA",
                e);
        }
        catch (HttpRequestException e)
        {
            throw new MartiException($"could not reach the TAK Server API at {_where}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new MartiException($"the connection to {_where} broke while reading {what}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MartiException($"{_where} did not answer with {what} within {_options.RequestTimeout.TotalSeconds:0} s", e);
        }
    }

    private void Refuse(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode) return;
        var message = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"{_where} refused {what} (HTTP {status}): the device's certificate has no access to it, or the mission token is missing or expired",
            HttpStatusCode.NotFound => $"{_where} does not know {what} (HTTP 404)",
            _ when status is >= 300 and < 400 =>
                $"{_where} answered with a redirect (HTTP {status}) to {response.Headers.Location}; TAK Can does not follow redirects on the TAK Server API",
            _ => $"{_where} did not give {what} (HTTP {status}); see the server's log",
        };
        throw new MartiException(message, statusCode: status);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, long limit, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
            throw new MartiException($"the server sent {what} of {content.Headers.ContentLength} bytes, more than the {limit} TAK Can reads");
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new MartiException($"the server sent {what} of more than the {limit} bytes TAK Can reads");
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
