using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TakCan.Host.Console.Api;

/// <summary>
/// Who may talk to the local API. With a token: every request must carry it (compared in constant time, as SHA-256
/// digests so not even its length leaks). Without one (loopback only): the Host header must be a loopback name, so a web
/// page cannot reach the node through DNS rebinding.
/// </summary>
internal sealed class ApiGate(string? token)
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _tokenDigest = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_tokenDigest is not null)
        {
            if (!Presents(context.Request.Headers.Authorization.ToString(), _tokenDigest))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    "this node wants its API token: send Authorization: Bearer <token> (takcan --token, or TAKCAN_API_TOKEN)");
                return;
            }
        }
        else if (!IsLoopbackName(context.Request.Host.Host))
        {
            await ApiErrors.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"host '{context.Request.Host.Host}' refused: this node's API answers only to 127.0.0.1, [::1] or localhost");
            return;
        }

        await next(context);
    }

    private static bool Presents(string authorization, byte[] expectedDigest)
    {
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, expectedDigest);
    }

    // An empty Host only comes from HTTP/1.0 clients, never from a browser.
    private static bool IsLoopbackName(string host) =>
        host.Length == 0 ||
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
