using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;

namespace TakCan.Actors.Servers;

/// <summary>
/// One TCP (or TLS) connection to a TAK Server: a reader task that hands every read to the link, and a writer task
/// that drains a bounded queue of frames. It knows nothing of CoT; all protocol state lives in the link actor.
/// </summary>
/// <remarks>
/// Reads are credited: at most <see cref="ReadCredits"/> chunks are in the link's mailbox at once, so a server that
/// sends faster than the device can digest is slowed by TCP instead of filling memory. Every failure ends in exactly
/// one call of the closed callback (unless the link disposed the connection itself).
/// </remarks>
internal sealed class ServerConnection : IDisposable
{
    private const int ReadCredits = 8;
    private const int ReadBufferBytes = 16 * 1024;

    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly ServerTlsMaterial? _tls;
    private readonly Channel<byte[]> _outbox;
    private readonly SemaphoreSlim _credits = new(ReadCredits);
    private readonly CancellationTokenSource _closing = new();
    private long _droppedFrames;
    private int _closed;
    private int _reported;

    private ServerConnection(TcpClient client, Stream stream, ServerTlsMaterial? tls, int maxBacklog)
    {
        _client = client;
        _stream = stream;
        _tls = tls;
        _outbox = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(maxBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _droppedFrames));
    }

    /// <summary>TLS version and cipher when the connection is encrypted, e.g. "Tls13 TLS_AES_256_GCM_SHA384".</summary>
    public string? Security { get; private init; }

    /// <summary>Frames dropped because the socket could not keep up.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Connects, and with TLS settings completes the handshake.</summary>
    /// <exception cref="ServerLinkException">Anything that prevents the connection, with a message an operator can act on.</exception>
    public static async Task<ServerConnection> OpenAsync(ServerLinkSettings settings, CancellationToken cancellationToken)
    {
        var endpoint = settings.Endpoint;
        var tls = settings.Tls?.Load(settings.Host);
        var client = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ConnectTimeout);
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, timeout.Token).ConfigureAwait(false);
            Stream stream = client.GetStream();
            string? security = null;
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                try
                {
                    await ssl.AuthenticateAsClientAsync(tls.ClientOptions(), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    await ssl.DisposeAsync().ConfigureAwait(false);
                    if (e is not (AuthenticationException or IOException)) throw;
                    throw new ServerLinkException(tls.Rejection is { } refused
                        ? $"{endpoint}: refused the server: {refused}"
                        : $"{endpoint}: TLS handshake failed ({Innermost(e)}); the server may have refused this device's certificate", e);
                }

                security = $"{ssl.SslProtocol} {ssl.NegotiatedCipherSuite}";
                stream = ssl;
            }

            return new ServerConnection(client, stream, tls, settings.MaxWriteBacklog) { Security = security };
        }
        catch (Exception e)
        {
            client.Dispose();
            tls?.Dispose();
            if (e is ServerLinkException) throw;
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new ServerLinkException($"{endpoint}: no connection within {settings.ConnectTimeout.TotalSeconds:0.#} s", e);
            if (e is SocketException socket) throw new ServerLinkException($"{endpoint}: {socket.Message}", e);
            throw;
        }
    }

    /// <summary>Starts reading and writing. Callbacks run on pool threads; the link turns them into messages.</summary>
    public void Start(Action<byte[]> received, Action<string> closed)
    {
        _ = Task.Run(() => ReadLoop(received, closed));
        _ = Task.Run(() => WriteLoop(closed));
    }

    /// <summary>The link has digested one chunk; the reader may read another.</summary>
    public void Acknowledge() => _credits.Release();

    /// <summary>Queues a frame; beyond the backlog the oldest queued frame is dropped (and counted).</summary>
    public void Write(byte[] frame) => _outbox.Writer.TryWrite(frame);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _closing.Cancel();
        _outbox.Writer.TryComplete();
        _stream.Dispose();
        _client.Dispose();
        _tls?.Dispose();
    }

    private async Task ReadLoop(Action<byte[]> received, Action<string> closed)
    {
        var buffer = new byte[ReadBufferBytes];
        try
        {
            while (true)
            {
                await _credits.WaitAsync(_closing.Token).ConfigureAwait(false);
                var count = await _stream.ReadAsync(buffer, _closing.Token).ConfigureAwait(false);
                if (count == 0)
                {
                    Closed(closed, "the server closed the connection");
                    return;
                }

                received(buffer.AsSpan(0, count).ToArray());
            }
        }
        catch (Exception e)
        {
            Closed(closed, "read failed: " + Innermost(e));
        }
    }

    private async Task WriteLoop(Action<string> closed)
    {
        try
        {
            var reader = _outbox.Reader;
            while (await reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                    await _stream.WriteAsync(frame, _closing.Token).ConfigureAwait(false);
                await _stream.FlushAsync(_closing.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Closed(closed, "write failed: " + Innermost(e));
        }
    }

    // Once, and never after the link closed the connection itself: by then nobody is interested.
    private void Closed(Action<string> closed, string reason)
    {
        if (Volatile.Read(ref _closed) == 1 || Interlocked.Exchange(ref _reported, 1) == 1) return;
        closed(reason);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null && e is not SocketException) e = e.InnerException;
        return e.Message;
    }
}
