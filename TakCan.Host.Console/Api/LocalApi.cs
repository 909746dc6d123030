using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TakCan.Host.Console.Api;

/// <summary>
/// The node's local API (specs/device.md, "Local API"): JSON over HTTP on Kestrel, for the CLI, scripts and screens.
/// Bound to loopback it is open to local users; bound anywhere else it refuses to start without a token and then
/// wants it on every request.
/// </summary>
public static class LocalApi
{
    /// <summary>Shorter tokens could be guessed by a neighbour on the same network.</summary>
    public const int MinimumTokenLength = 16;

    public static Task<LocalApiHandle> StartAsync(
        ApiTargets targets, string url = LocalApiOptions.DefaultUrl, string? token = null, CancellationToken cancellationToken = default) =>
        StartAsync(targets, new LocalApiOptions { Url = url, Token = token }, cancellationToken);

    /// <exception cref="LocalApiException">The URL is not usable, a token is needed and missing, or the address is taken.</exception>
    public static async Task<LocalApiHandle> StartAsync(ApiTargets targets, LocalApiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        var address = ApiListenAddress.Parse(options.Url);
        var token = string.IsNullOrWhiteSpace(options.Token) ? null : options.Token.Trim();
        var tokenRequired = !address.IsLoopback || options.RequireToken;
        if (tokenRequired && token is null)
        {
            throw new LocalApiException(address.IsLoopback
                ? "the API is set to require a token but none is configured (api.token in the node config)"
                : $"the API at {options.Url} would be reachable from other machines: set api.token in the node config, or bind it to 127.0.0.1");
        }

        if (tokenRequired && token!.Length < MinimumTokenLength)
            throw new LocalApiException($"the API token must be at least {MinimumTokenLength} characters");

        var app = Build(targets, options, address, tokenRequired ? token : null);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await app.DisposeAsync();
            throw new LocalApiException($"cannot listen on {address}: {e.Message}", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new LocalApiHandle(app, new Uri(bound), tokenRequired);
    }

    private static WebApplication Build(ApiTargets targets, LocalApiOptions options, ApiListenAddress address, string? token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Only what the node config says: no appsettings.json, ASPNETCORE_URLS or Kestrel section may add a listener.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.ConfigureHttpJsonOptions(json => ApiJson.Apply(json.SerializerOptions));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            // Kestrel cannot pick a free port for both loopback addresses at once.
            if (address.IsLocalhost && address.Port != 0) kestrel.ListenLocalhost(address.Port);
            else kestrel.Listen(address.Address ?? IPAddress.Loopback, address.Port);
        });

        var app = builder.Build();
        app.Use((context, next) => CatchFailuresAsync(context, next, options.MaxRequestBodyBytes));
        app.UseStatusCodePages(WriteStatusCodeErrorAsync);
        app.Use(new ApiGate(token).InvokeAsync);
        new ApiEndpoints(targets, options).Map(app);
        return app;
    }

    private static async Task CatchFailuresAsync(HttpContext context, RequestDelegate next, long maxBodyBytes)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiErrors.WriteAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the body is larger than the limit of {maxBodyBytes} bytes"
                : e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; there is no one to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalApi))
                .LogError(e, "local API failed on {Method} {Path}", context.Request.Method, context.Request.Path);
            await ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, $"the node failed on this request ({e.GetType().Name}); see its log");
        }
    }

    /// <summary>Gives the 404s and 405s of routing the same <c>{"error": "…"}</c> body as everything else.</summary>
    private static Task WriteStatusCodeErrorAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        var error = status switch
        {
            StatusCodes.Status404NotFound => $"no such endpoint: {context.Request.Method} {context.Request.Path}",
            StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
        return ApiErrors.WriteAsync(context, status, error);
    }
}
