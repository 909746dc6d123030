using Microsoft.AspNetCore.Builder;

namespace TakCan.Host.Console.Api;

/// <summary>A running local API; dispose it to stop listening (open event streams are ended, not waited for).</summary>
public sealed class LocalApiHandle : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    internal LocalApiHandle(WebApplication app, Uri url, bool tokenRequired)
    {
        _app = app;
        Url = url;
        TokenRequired = tokenRequired;
    }

    /// <summary>The address it listens on, with the real port when the configured one was 0.</summary>
    public Uri Url { get; }

    /// <summary>Whether every request must carry <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public bool TokenRequired { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
