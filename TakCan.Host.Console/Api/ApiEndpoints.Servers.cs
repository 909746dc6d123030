using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;
using static TakCan.Actors.Servers.ServersProtocol;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Api;

/// <summary>
/// <c>/api/servers</c>: the configured TAK servers, asked of the device's servers actor (specs/server-links.md,
/// "Configured servers"). Changes take effect at once on the running node.
/// </summary>
internal sealed partial class ApiEndpoints
{
    private const string Servers = "servers";

    // Two HTTPS requests of at most 30 s each (specs/enrolment.md, "Exchange"), plus the key generation and the save.
    private static readonly TimeSpan EnrolTimeout = EnrolmentOptions.Default.RequestTimeout * 2 + TimeSpan.FromSeconds(30);

    // Opening and re-encrypting a few PKCS#12 files: quick, but more than a plain question on a small device.
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] ZipMediaTypes = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

    private void MapServers(IEndpointRouteBuilder api)
    {
        api.MapGet("/servers", (CancellationToken ct) => ListServersAsync(ct));
        api.MapPost("/servers", (HttpRequest request, CancellationToken ct) => AddServerAsync(request, ct));
        api.MapDelete("/servers/{name}", (string name, CancellationToken ct) => RemoveServerAsync(name, ct));
        api.MapPost("/servers/enroll", (HttpRequest request, CancellationToken ct) => EnrollServerAsync(request, ct));
        api.MapPost("/servers/import", (HttpRequest request, string? name, CancellationToken ct) => ImportServersAsync(request, name, ct));
    }

    private async Task<IResult> ListServersAsync(CancellationToken ct)
    {
        var (reply, failure) = await AskServersAsync(ListServers.Instance, ct);
        return failure ?? reply switch
        {
            ServerList list => Ok(new ServersResponse(list.Servers.Select(s => ApiContract.Server(s.Entry, s.Status, s.Problem)).ToList())),
            _ => Unexpected(Servers, reply),
        };
    }

    private async Task<IResult> AddServerAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadAsync<AddServerRequest>(request,
            """{"name": "ops", "url": "ssl://tak.example.org:8089", "cert": "/path/to/client.p12", "password": "…", "ca": "/path/to/ca.pem"}""", ct);
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(body!.Name)) return ApiErrors.Result(StatusCodes.Status400BadRequest, "name is required");
        if (string.IsNullOrWhiteSpace(body.Url))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "url is required: tcp://HOST:PORT or ssl://HOST:PORT");

        var entry = new ServerEntry
        {
            Name = body.Name.Trim(),
            Url = body.Url.Trim(),
            Certificate = Blank(body.Cert),
            CertificatePassword = body.Password,
            Ca = Blank(body.Ca),
            Username = Blank(body.User),
            Password = body.UserPassword,
            MartiUrl = Blank(body.MartiUrl),
        };
        var (reply, failure) = await AskServersAsync(new AddServer(entry), ct);
        return failure ?? reply switch
        {
            ServerAdded added => Created(ApiContract.Server(added.Entry)),
            ServerRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private async Task<IResult> RemoveServerAsync(string name, CancellationToken ct)
    {
        var (reply, failure) = await AskServersAsync(new RemoveServer(name), ct);
        return failure ?? reply switch
        {
            ServerRemoved => Results.NoContent(),
            ServerRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private async Task<IResult> EnrollServerAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadAsync<EnrollServerRequest>(request,
            """{"name": "ops", "host": "tak.example.org", "user": "alice", "password": "…", "trust": "ca:/path/to/ca.pem"}""", ct);
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(body!.Name)) return ApiErrors.Result(StatusCodes.Status400BadRequest, "name is required");
        if (string.IsNullOrWhiteSpace(body.Code) == string.IsNullOrWhiteSpace(body.Host))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "give either code (an enrolment code) or host (host[:port[:protocol]]), not both");

        EnrolmentTarget target;
        EnrolmentTrust trust;
        try
        {
            target = string.IsNullOrWhiteSpace(body.Code) ? EnrolmentTarget.Create(body.Host!) : EnrolmentTarget.Parse(body.Code);
            if (Blank(body.User) is { } user) target = target with { Username = user };
            if (body.EnrolmentPort is { } port) target = target with { EnrolmentPort = port };
            trust = Trust(body.Trust);
        }
        catch (EnrolmentException e)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, e.Message);
        }

        if (target.Username is null) return ApiErrors.Result(StatusCodes.Status400BadRequest, "user is required (the enrolment code carries no user name)");
        if (string.IsNullOrEmpty(body.Password) && target.Token is null)
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "password is required (the enrolment code carries no token)");

        var (reply, failure) = await AskServersAsync(new EnrollServer(body.Name.Trim(), target, string.IsNullOrEmpty(body.Password) ? null : body.Password, trust), ct, EnrolTimeout);
        return failure ?? reply switch
        {
            ServerEnrolled enrolled => Created(new EnrolledResponse(
                ApiContract.Server(enrolled.Entry),
                enrolled.Result.Subject,
                enrolled.Result.Issuer,
                enrolled.Result.NotAfter,
                enrolled.Result.CertificateSha256,
                enrolled.Result.ServerCertificateSha256)),
            ServerRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    /// <summary>The package as the raw body (<c>application/zip</c>) or as the file of a multipart form.</summary>
    private async Task<IResult> ImportServersAsync(HttpRequest request, string? name, CancellationToken ct)
    {
        // A data package is larger than any JSON body; it gets the package limit of specs/enrolment.md instead.
        var limit = DataPackageLimits.Default.MaxPackageBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) return TooLarge(limit);

        byte[]? package;
        try
        {
            if (request.HasFormContentType)
            {
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(ct);
                }
                catch (InvalidDataException e)
                {
                    return ApiErrors.Result(StatusCodes.Status400BadRequest, $"the form is malformed ({e.Message}); send the data package as its one file");
                }

                if (form.Files.Count != 1)
                    return ApiErrors.Result(StatusCodes.Status400BadRequest, $"send one file, the data package (.zip), in the form; it has {form.Files.Count}");
                name ??= Blank(form["name"].ToString());
                await using var file = form.Files[0].OpenReadStream();
                package = await ReadBoundedAsync(file, limit, ct);
            }
            else if (ZipMediaTypes.Contains(request.ContentType?.Split(';')[0].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                package = await ReadBoundedAsync(request.Body, limit, ct);
            }
            else
            {
                return ApiErrors.Result(StatusCodes.Status415UnsupportedMediaType,
                    "send the data package as the body with Content-Type: application/zip, or as the file of a multipart/form-data form");
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }

        if (package is null) return TooLarge(limit);
        if (package.Length == 0) return ApiErrors.Result(StatusCodes.Status400BadRequest, "the body is empty; send the data package (.zip)");

        var (reply, failure) = await AskServersAsync(new ImportServers(package, Blank(name)), ct, ImportTimeout);
        return failure ?? reply switch
        {
            ServersImported imported => Created(new ImportedResponse(imported.Added.Select(e => ApiContract.Server(e)).ToList(), imported.Notes)),
            ServerRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private Task<(object? Reply, IResult? Failure)> AskServersAsync(object message, CancellationToken ct, TimeSpan? timeout = null) =>
        targets.Servers.IsNobody()
            ? Task.FromResult<(object?, IResult?)>((null, ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "this node runs no TAK server links")))
            : AskAsync(targets.Servers, message, Servers, ct, timeout);

    /// <summary>
    /// <c>ca:FILE</c>, <c>pin:SHA256</c> or <c>first-use</c>. There is no default: an enrolment sends a password, so the
    /// server must be one the user chose to trust (specs/enrolment.md, "Server trust").
    /// </summary>
    /// <exception cref="EnrolmentException">Missing, unknown, or a CA file that cannot be read.</exception>
    private static EnrolmentTrust Trust(string? trust)
    {
        const string choices = "ca:FILE (the server's CA certificate), pin:SHA256 (its certificate's fingerprint) or first-use";
        var text = trust?.Trim() ?? "";
        if (text.Length == 0) throw new EnrolmentException($"trust is required: {choices}; TAK Can trusts no enrolment server by default");
        if (text.Equals("first-use", StringComparison.OrdinalIgnoreCase)) return EnrolmentTrust.FirstUse;
        if (text.StartsWith("pin:", StringComparison.OrdinalIgnoreCase)) return EnrolmentTrust.Pinned(text[4..]);
        if (!text.StartsWith("ca:", StringComparison.OrdinalIgnoreCase)) throw new EnrolmentException($"trust '{text}' is not {choices}");

        var path = text[3..];
        if (!Path.IsPathFullyQualified(path)) throw new EnrolmentException($"the CA file must be given by its full path, not '{path}'");
        var authorities = new X509Certificate2Collection();
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.AsSpan().IndexOf("-----BEGIN CERTIFICATE-----"u8) >= 0) authorities.ImportFromPem(Encoding.ASCII.GetString(bytes));
            else authorities.Add(X509CertificateLoader.LoadCertificate(bytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new EnrolmentException($"cannot read the CA file {path} as PEM or DER: {e.Message}", e);
        }

        return authorities.Count > 0 ? EnrolmentTrust.Authority(authorities) : throw new EnrolmentException($"the CA file {path} holds no certificate");
    }

    /// <returns>Null when the stream holds more than <paramref name="limit"/> bytes.</returns>
    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge(long limit) =>
        ApiErrors.Result(StatusCodes.Status413PayloadTooLarge, $"the data package is larger than the limit of {limit / (1024 * 1024)} MiB");

    private static IResult Refused(ServerRefused refused) => ApiErrors.Result(
        refused.Reason switch
        {
            ServerRefusal.Invalid => StatusCodes.Status400BadRequest,
            ServerRefusal.NameTaken => StatusCodes.Status409Conflict,
            ServerRefusal.NotFound => StatusCodes.Status404NotFound,
            // The enrolment server (not this node) refused, or could not be reached or trusted.
            ServerRefusal.EnrolmentFailed => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        },
        refused.Message);

    private static IResult Created<T>(T body) => Results.Json(body, ApiJson.Options, statusCode: StatusCodes.Status201Created);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
