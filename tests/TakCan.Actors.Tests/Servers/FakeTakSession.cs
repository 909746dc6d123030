using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Tests.Servers;

/// <summary>One client of a <see cref="FakeTakServer"/>, read and written as TAK Server does.</summary>
public sealed class FakeTakSession
{
    private readonly FakeTakServer _server;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CotXmlStreamSplitter _splitter = new();
    private readonly List<byte> _auth = new();
    private TakStreamDecoder? _frames;
    private string? _offerUid;
    private volatile bool _sendsTakProtocol;
    private volatile bool _closed;
    private int _framesReceived;
    private readonly MemoryStream _wire = new();

    public FakeTakSession(int id, FakeTakServer server, Stream stream)
    {
        Id = id;
        _server = server;
        _stream = stream;
        ClientCertificate = (stream as SslStream)?.RemoteCertificate as X509Certificate2;
    }

    public int Id { get; }

    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The auth message's username and uid, when the client sent one.</summary>
    public (string Username, string Uid)? Authenticated { get; private set; }

    /// <summary>True once the server accepted TAK protocol: both directions are 0xBF frames from then on.</summary>
    public bool TakProtocol => _sendsTakProtocol;

    /// <summary>TAK protocol frames received from the client (each checked by <see cref="TakStreamDecoder"/>).</summary>
    public int FramesReceived => Volatile.Read(ref _framesReceived);

    public bool IsClosed => _closed;

    /// <summary>The client asked for TAK protocol.</summary>
    public bool Requested { get; private set; }

    /// <summary>The first 64 KiB the client sent, as received (auth included).</summary>
    public byte[] Wire
    {
        get
        {
            lock (_wire) return _wire.ToArray();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_server.Options.Credentials is null) await WelcomeAsync();
        var buffer = new byte[16 * 1024];
        while (!_closed)
        {
            var count = await _stream.ReadAsync(buffer, cancellationToken);
            if (count == 0) return;
            lock (_wire)
                if (_wire.Length < 64 * 1024)
                    _wire.Write(buffer, 0, count);
            await ConsumeAsync(buffer.AsMemory(0, count));
        }
    }

    /// <summary>Writes an event in the session's current framing.</summary>
    public async Task SendAsync(CotEvent evt)
    {
        await _writing.WaitAsync();
        try
        {
            if (_closed) return;
            await _stream.WriteAsync(Encode(evt, _sendsTakProtocol));
            await _stream.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Close();
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Writes raw bytes, for hostile input.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _writing.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    public void Close()
    {
        _closed = true;
        _stream.Dispose();
    }

    public static byte[] Encode(CotEvent evt, bool takProtocol)
    {
        if (takProtocol) return TakMessageConverter.EncodeStream(evt);
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(CotXmlWriter.Declaration);
        buffer.Write("\n"u8);
        CotXmlWriter.Write(evt, buffer, declaration: false);
        return buffer.WrittenSpan.ToArray();
    }

    private async Task WelcomeAsync()
    {
        _server.Welcome(this);
        if (_server.Options.OfferTakProtocol)
        {
            _offerUid = Guid.NewGuid().ToString();
            await SendAsync(TakProtocolNegotiation.Offer(_offerUid, DateTime.UtcNow, 1));
        }

        if (_server.Options.ReplayLatest)
            foreach (var evt in _server.Latest)
                await SendAsync(evt);
    }

    private async Task ConsumeAsync(ReadOnlyMemory<byte> data)
    {
        if (_server.Options.Credentials is not null && Authenticated is null)
        {
            _auth.AddRange(data.Span);
            var bytes = _auth.ToArray();
            var end = bytes.AsSpan().IndexOf("</auth>"u8);
            if (end < 0)
            {
                // TAK Server's auth buffer.
                if (bytes.Length > 1024) Refuse("no </auth> in the first 1024 bytes");
                return;
            }

            end += "</auth>".Length;
            if (!Authenticate(bytes.AsSpan(0, end))) return;
            await WelcomeAsync();
            data = bytes.AsMemory(end);
        }

        if (_frames is not null)
        {
            await ConsumeFramesAsync(data);
            return;
        }

        _splitter.Feed(data.Span);
        while (_splitter.TryRead(out var eventBytes))
        {
            CotEvent evt;
            try
            {
                evt = CotXmlReader.Read(eventBytes.Span);
            }
            catch (CotFormatException e)
            {
                _server.Violation($"session {Id}: unreadable XML from the client: {e.Message}");
                continue;
            }

            if (TakProtocolNegotiation.TryReadRequest(evt, out var version))
            {
                await AnswerRequestAsync(evt, version);
                if (_frames is null) continue;
                // The client must send nothing in XML after its request; what follows the answer must be frames.
                if (_splitter.Pending > 0 || _splitter.HasPartialEvent) _server.Violation($"session {Id}: XML after t-x-takp-q");
                return;
            }

            await OnEventAsync(evt);
        }
    }

    private async Task ConsumeFramesAsync(ReadOnlyMemory<byte> data)
    {
        var messages = new List<ReadOnlyMemory<byte>>();
        try
        {
            _frames!.Feed(data.Span, messages.Add);
        }
        catch (CotFormatException e)
        {
            _server.Violation($"session {Id}: broken TAK protocol framing from the client: {e.Message}");
            Close();
            return;
        }

        foreach (var payload in messages)
        {
            Interlocked.Increment(ref _framesReceived);
            try
            {
                await OnEventAsync(TakMessageConverter.Decode(payload.Span));
            }
            catch (CotFormatException e)
            {
                _server.Violation($"session {Id}: unreadable TakMessage from the client: {e.Message}");
            }
        }
    }

    private async Task AnswerRequestAsync(CotEvent request, int version)
    {
        if (_offerUid is null)
        {
            _server.Violation($"session {Id}: t-x-takp-q without an offer");
            return;
        }

        if (request.Uid != _offerUid) _server.Violation($"session {Id}: request uid {request.Uid} is not the offer's {_offerUid}");
        Requested = true;
        if (!_server.Options.AnswerRequests) return;
        if (_server.Options.ResponseDelay > TimeSpan.Zero) await Task.Delay(_server.Options.ResponseDelay);
        var accept = _server.Options.AcceptTakProtocol && version == 1;
        await _writing.WaitAsync();
        try
        {
            // The response is the last XML; the next byte either way is a frame.
            await _stream.WriteAsync(Encode(TakProtocolNegotiation.Response(request.Uid, accept, DateTime.UtcNow), takProtocol: false));
            await _stream.FlushAsync();
            if (accept)
            {
                _frames = new TakStreamDecoder();
                _sendsTakProtocol = true;
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task OnEventAsync(CotEvent evt)
    {
        if (ServerPingBuilder.IsPing(evt))
        {
            _server.Ping();
            if (_server.Options.AnswerPings) await SendAsync(ServerPingBuilder.Pong(DateTime.UtcNow));
            return;
        }

        if (TakProtocolNegotiation.IsNegotiation(evt))
        {
            _server.Violation($"session {Id}: unexpected {evt.Type} from the client");
            return;
        }

        await _server.ReceivedAsync(this, evt);
    }

    private bool Authenticate(ReadOnlySpan<byte> message)
    {
        try
        {
            var cot = XDocument.Parse(System.Text.Encoding.UTF8.GetString(message)).Root?.Element("cot");
            var expected = _server.Options.Credentials!;
            if (cot?.Attribute("username")?.Value == expected.Username && cot.Attribute("password")?.Value == expected.Password)
            {
                Authenticated = (expected.Username, cot.Attribute("uid")?.Value ?? "");
                return true;
            }
        }
        catch (System.Xml.XmlException e)
        {
            _server.Violation($"session {Id}: malformed auth message: {e.Message}");
        }

        Refuse("wrong username or password");
        return false;
    }

    private void Refuse(string why)
    {
        _server.AuthFailed(why);
        Close();
    }
}
