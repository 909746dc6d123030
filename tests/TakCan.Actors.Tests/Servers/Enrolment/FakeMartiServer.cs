using System.Collections.Concurrent;
using System.Net;
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

namespace TakCan.Actors.Tests.Servers.Enrolment;

/// <summary>
/// The enrolment half of a TAK Server, on Kestrel over HTTPS on 127.0.0.1 with a port of its choosing: HTTP Basic
/// authentication, <c>GET /Marti/api/tls/config</c>, and <c>POST /Marti/api/tls/signClient/v2</c>, which checks the
/// request as TAK Server's CertManagerService does (exactly CN plus the configured entries, CN = the user) and
/// really signs it with the test intermediate CA. Every request is recorded.
/// </summary>
internal sealed class FakeMartiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMartiServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>User names (case-insensitive, as TAK Server compares CN) and their passwords.</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.OrdinalIgnoreCase) { ["alice"] = "s3cret" };

    /// <summary>What <c>tls/config</c> announces.</summary>
    public List<(string Name, string Value)> AnnouncedEntries { get; } = [("O", "TAK Can Tests"), ("OU", "Ops")];

    /// <summary>What signing checks; normally the announced entries, different to model a misconfigured server.</summary>
    public List<(string Name, string Value)>? RequiredEntries { get; set; }

    public static async Task<FakeMartiServer> StartAsync(EnrolmentPki pki, X509Certificate2? serverCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate ?? pki.Server,
            // Send the intermediate with the leaf, as TAK Server does, so a client trusting the root can build the chain.
            ServerCertificateChain = [EnrolmentPki.Public(pki.Intermediate)],
        })));
        var app = builder.Build();
        FakeMartiServer? server = null;

        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
            context.Request.Body.Position = 0;
            context.Items[nameof(RecordedRequest.Body)] = body;
            server!.Requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString(),
                context.Request.Headers.Accept.ToString(),
                context.Request.ContentType,
                body));
            if (server.Authenticated(context.Request) is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"TAK Server\"";
                return;
            }

            await next(context);
        });

        app.MapGet("/Marti/api/tls/config", () => Results.Text(server!.ConfigXml(), "application/xml"));
        app.MapPost("/Marti/api/tls/signClient/v2", (HttpContext context) => server!.Sign(context, pki));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeMartiServer(app, new Uri(address).Port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private string ConfigXml() =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<ns2:certificateConfig xmlns=\"http://bbn.com/marti/xml/config\" xmlns:ns2=\"com.bbn.marti.config\"><nameEntries>" +
        string.Concat(AnnouncedEntries.Select(e => $"<nameEntry name=\"{e.Name}\" value=\"{e.Value}\"/>")) +
        "</nameEntries></ns2:certificateConfig>";

    private string? Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        var colon = decoded.IndexOf(':');
        if (colon < 0) return null;
        var user = decoded[..colon];
        return Users.TryGetValue(user, out var password) && password == decoded[(colon + 1)..] ? user : null;
    }

    private IResult Sign(HttpContext context, EnrolmentPki pki)
    {
        var user = Authenticated(context.Request)!;
        var body = (string)context.Items[nameof(RecordedRequest.Body)]!;
        CertificateRequest request;
        try
        {
            var base64 = string.Concat(body.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
            request = CertificateRequest.LoadSigningRequest(Convert.FromBase64String(base64), HashAlgorithmName.SHA256);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        // CertManagerService.validateCSR: one more RDN than the required entries, CN = the user, each entry present.
        var required = RequiredEntries ?? AnnouncedEntries;
        var rdns = request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Select(rdn => (Name: rdn.GetSingleElementType().FriendlyName, Value: rdn.GetSingleElementValue()))
            .ToList();
        if (rdns.Count != required.Count + 1 ||
            !rdns.Any(rdn => rdn.Name == "CN" && string.Equals(rdn.Value, user, StringComparison.OrdinalIgnoreCase)) ||
            !required.All(entry => rdns.Any(rdn => string.Equals(rdn.Name, entry.Name, StringComparison.OrdinalIgnoreCase) &&
                                                   string.Equals(rdn.Value, entry.Value, StringComparison.OrdinalIgnoreCase))))
            return Results.StatusCode(StatusCodes.Status500InternalServerError);

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.Intermediate, true, false));
        // TAK Server back-dates by validityNotBeforeOffsetMinutes (720 by default).
        using var signed = EnrolmentPki.Issue(request, pki.Intermediate, DateTimeOffset.UtcNow.AddMinutes(-720), DateTimeOffset.UtcNow.AddDays(365));

        var json = JsonSerializer.Serialize(
            new Dictionary<string, string>
            {
                ["signedCert"] = TakBase64(signed),
                ["ca0"] = TakBase64(pki.Intermediate),
                ["ca1"] = TakBase64(pki.Root),
            },
            new JsonSerializerOptions { WriteIndented = true });
        return Results.Text(json, "application/json");
    }

    /// <summary>As TAK Server's Util.certToPEM(cert, false): base64 broken every 64 characters, no PEM lines.</summary>
    private static string TakBase64(X509Certificate2 certificate) =>
        string.Join("\n", Convert.ToBase64String(certificate.RawData).Chunk(64).Select(chunk => new string(chunk)));
}

internal sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string Accept, string? ContentType, string Body);
