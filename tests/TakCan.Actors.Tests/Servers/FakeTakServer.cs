using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using TakCan.Protocols.Cot;

namespace TakCan.Actors.Tests.Servers;

/// <summary>
/// A TAK Server small enough to read: TcpListener on 127.0.0.1, optional mutual TLS, optional auth message,
/// XML streaming with the <c>t-x-takp</c> upgrade to TAK protocol, ping/pong, relay of CoT between clients and
/// replay of the latest events to new clients. It can be stopped and started again on the same port.
/// Whatever a client does against the protocol is recorded in <see cref="Violations"/>.
/// </summary>
public sealed class FakeTakServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, FakeTakSession> _sessions = new();
    private readonly ConcurrentDictionary<string, CotEvent> _latest = new(StringComparer.Ordinal);
    private readonly Channel<FakeTakSession> _welcomed = Channel.CreateUnbounded<FakeTakSession>();
    private readonly Channel<(FakeTakSession Session, CotEvent Event)> _received = Channel.CreateUnbounded<(FakeTakSession, CotEvent)>();
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();
    private int _sessionIds;
    private int _handshakeFailures;
    private int _authFailures;
    private int _pings;

    public FakeTakServer(FakeTakServerOptions? options = null) => Options = options ?? new FakeTakServerOptions();

    public FakeTakServerOptions Options { get; }

    public int Port { get; private set; }

    /// <summary>TLS handshakes that failed (no or an untrusted client certificate, or the client refused ours).</summary>
    public int HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    public int AuthFailures => Volatile.Read(ref _authFailures);

    public string? LastAuthFailure { get; private set; }

    /// <summary>Pings received from all clients since the server was created.</summary>
    public int Pings => Volatile.Read(ref _pings);

    /// <summary>Sessions that got past TLS and auth, since the server was created.</summary>
    public int Welcomed { get; private set; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public IReadOnlyCollection<FakeTakSession> Sessions => _sessions.Values.ToArray();

    public static FakeTakServer Start(FakeTakServerOptions? options = null) => new FakeTakServer(options).Listen(0);

    public FakeTakServer Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        // The restarted server binds the same port while old connections are still in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _running = new CancellationTokenSource();
        _ = AcceptLoop(listener, _running.Token);
        return this;
    }

    /// <summary>Stops listening and drops every client, as a server going down does.</summary>
    public void Stop()
    {
        _running.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var session in _sessions.Values) session.Close();
        _sessions.Clear();
    }

    /// <summary>Stops, then listens again on the same port; the latest events are kept, as TAK Server keeps them.</summary>
    public void Restart()
    {
        Stop();
        Listen(Port);
    }

    /// <summary>The next client to get past TLS and auth.</summary>
    public async Task<FakeTakSession> NextSessionAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _welcomed.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no client session within {timeout ?? TimeSpan.FromSeconds(5)}; violations: {string.Join(" | ", Violations)}");
        }
    }

    /// <summary>The next CoT a client sent (pings and negotiation excluded).</summary>
    public async Task<(FakeTakSession Session, CotEvent Event)> NextEventAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _received.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no CoT from a client within {timeout ?? TimeSpan.FromSeconds(5)}; violations: {string.Join(" | ", Violations)}");
        }
    }

    /// <summary>An event from "elsewhere" (another TAK client): kept as latest and sent to every client.</summary>
    public async Task PublishAsync(CotEvent evt)
    {
        _latest[evt.Uid] = evt;
        foreach (var session in _sessions.Values) await session.SendAsync(evt);
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    internal IEnumerable<CotEvent> Latest => _latest.Values;

    internal void Ping() => Interlocked.Increment(ref _pings);

    internal void Violation(string what) => Violations.Enqueue(what);

    internal void AuthFailed(string why)
    {
        LastAuthFailure = why;
        Interlocked.Increment(ref _authFailures);
    }

    internal void Welcome(FakeTakSession session)
    {
        Welcomed++;
        _welcomed.Writer.TryWrite(session);
    }

    internal async Task ReceivedAsync(FakeTakSession from, CotEvent evt)
    {
        _latest[evt.Uid] = evt;
        _received.Writer.TryWrite((from, evt));
        if (!Options.Relay) return;
        foreach (var session in _sessions.Values)
            if (session != from)
                await session.SendAsync(evt);
    }

    private async Task AcceptLoop(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task Serve(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        client.NoDelay = true;
        Stream stream = client.GetStream();
        if (Options.Tls is { } tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsServerAsync(tls.ServerOptions(), cancellationToken);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _handshakeFailures);
                await ssl.DisposeAsync();
                return;
            }

            stream = ssl;
        }

        var session = new FakeTakSession(Interlocked.Increment(ref _sessionIds), this, stream);
        _sessions[session.Id] = session;
        // A server stopped between accept and now must not keep this client.
        if (cancellationToken.IsCancellationRequested) session.Close();
        try
        {
            await session.RunAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested || session.IsClosed)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            _sessions.TryRemove(session.Id, out var _);
            session.Close();
        }
    }
}
