using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using MessagePack;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// One attempt at authenticating a link (specs/mesh.md, "Link handshake"): fresh nonces from both sides,
/// AUTH = HMAC-SHA256(K_auth, label ‖ sender nonce ‖ receiver nonce) sealed under the new session key with the
/// sender's identity and team. Proves both hold the mission key without revealing it; replays and reflections
/// fail because each side's nonce is new and the MAC is bound to the direction.
/// </summary>
public sealed class LinkHandshake
{
    private static readonly byte[] AuthLabel = Encoding.UTF8.GetBytes("takcan/v1/auth");
    private static readonly byte[] SessionInfo = Encoding.UTF8.GetBytes("takcan/v1/session");

    private readonly MeshKeyRing _keys;
    private readonly MeshPeerInfo _self;
    private readonly bool _teamFilter;
    private readonly byte[] _nonce = RandomNumberGenerator.GetBytes(SealedFrame.NonceSize);
    private byte[]? _peerNonce;
    private MeshKeySet? _agreed;
    private byte[]? _authFrame;
    private LinkSession? _session;

    // The session that last came up, and the peer nonce it was made with. The link keeps sealing with it
    // across a restart; if the restart ends with the same nonces and key, it must be reused, not re-derived:
    // a fresh LinkSession would start its counter at 1 again under the same key and repeat GCM nonces.
    private LinkSession? _lastUp;
    private byte[]? _lastUpPeerNonce;

    public LinkHandshake(MeshKeyRing keys, MeshPeerInfo self, bool teamFilter = true)
    {
        _keys = keys;
        _self = self;
        _teamFilter = teamFilter;
    }

    public HandshakeState State { get; private set; }

    /// <summary>AUTH frames that did not decrypt under this attempt's keys (forged, or a peer with another key).</summary>
    public int RejectedAuths { get; private set; }

    /// <summary>Why the attempt failed: <see cref="MeshDropReason.HandshakeAuth"/> or <see cref="MeshDropReason.Team"/>.</summary>
    public MeshDropReason? Failure { get; private set; }

    /// <summary>
    /// The link's keys, once <see cref="State"/> is <see cref="HandshakeState.Up"/>; null otherwise. Once up, the
    /// session belongs to the link: after a restart it keeps sealing with it until the handshake is up again, then
    /// takes the new <see cref="Session"/> and disposes the old one unless it is the same instance.
    /// </summary>
    public LinkSession? Session => State == HandshakeState.Up ? _session : null;

    /// <summary>The neighbour as it proved itself, once up.</summary>
    public MeshPeerInfo? Peer { get; private set; }

    /// <summary>Our HELLO (sent first, and again on the retry timer until the link is up).</summary>
    public byte[] CreateHello()
    {
        var frame = new byte[SealedFrame.HelloSize];
        frame[0] = SealedFrame.Hello;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (_agreed ?? _keys.Current).KeyId);
        _nonce.CopyTo(frame.AsSpan(3));
        _peerNonce?.CopyTo(frame.AsSpan(3 + SealedFrame.NonceSize));
        return frame;
    }

    /// <summary>
    /// True when a HELLO belongs to this attempt (its nonce is the peer nonce already known). A HELLO with another
    /// nonce on an up link means the neighbour started over: the link runs a new attempt beside the old keys.
    /// </summary>
    public bool IsSameAttempt(ReadOnlySpan<byte> hello) =>
        _peerNonce is not null && hello.Length == SealedFrame.HelloSize && hello.Slice(3, SealedFrame.NonceSize).SequenceEqual(_peerNonce);

    /// <summary>Takes a HELLO or AUTH from the neighbour; returns the frames to send back.</summary>
    public IReadOnlyList<byte[]> Receive(ReadOnlySpan<byte> frame)
    {
        if (State == HandshakeState.Failed) return [];
        return SealedFrame.TypeOf(frame) switch
        {
            SealedFrame.Hello when frame.Length == SealedFrame.HelloSize => ReceiveHello(frame),
            SealedFrame.Auth => ReceiveAuth(frame),
            _ => [],
        };
    }

    private IReadOnlyList<byte[]> ReceiveHello(ReadOnlySpan<byte> frame)
    {
        var peerNonce = frame.Slice(3, SealedFrame.NonceSize);
        var echo = frame.Slice(3 + SealedFrame.NonceSize, SealedFrame.NonceSize);
        if (_peerNonce is not null && !peerNonce.SequenceEqual(_peerNonce))
        {
            // The neighbour started over (restart, or its attempt timed out): so do we, keeping our nonce.
            if (State == HandshakeState.Up)
            {
                // Data keeps flowing on the old keys until the new handshake succeeds (specs/mesh.md).
                _lastUp = _session;
                _lastUpPeerNonce = _peerNonce;
            }
            else if (_session != _lastUp)
            {
                _session?.Dispose();
            }

            _session = null;
            _authFrame = null;
            Peer = null;
            State = HandshakeState.Pending;
        }

        if (_peerNonce is null || _authFrame is null)
        {
            _peerNonce = peerNonce.ToArray();
            // During a rotation both ends settle on the older key: the one whose id the other side knows.
            _agreed = _keys.Find(SealedFrame.KeyIdOf(frame)) ?? _keys.Current;
            _session = _lastUp is not null && _lastUp.KeyId == _agreed.KeyId && _lastUpPeerNonce.AsSpan().SequenceEqual(_peerNonce)
                ? _lastUp
                : CreateSession(_agreed, _nonce, _peerNonce);
            _authFrame = _session.SealAuth(AuthPlaintext());
        }

        var reply = new List<byte[]>(2);
        if (!echo.SequenceEqual(_nonce)) reply.Add(CreateHello());
        reply.Add(_authFrame);
        return reply;
    }

    private IReadOnlyList<byte[]> ReceiveAuth(ReadOnlySpan<byte> frame)
    {
        // An AUTH before the neighbour's HELLO cannot be checked yet; the retry brings both again.
        if (_session is null || _peerNonce is null || State == HandshakeState.Up) return [];
        if (!_session.TryOpenAuth(frame, out var plaintext))
        {
            // Anyone in range can send a frame that does not decrypt; it must not end an honest attempt. It is
            // remembered, so a timeout after it is reported as an authentication failure (say, a wrong key).
            RejectedAuths++;
            return [];
        }

        if (plaintext.Length < 32 || !CryptographicOperations.FixedTimeEquals(plaintext.AsSpan(0, 32), Mac(_agreed!, _peerNonce, _nonce)))
            return Fail(MeshDropReason.HandshakeAuth);

        MeshPeerInfo peer;
        try
        {
            peer = ReadInfo(plaintext.AsMemory(32));
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            // MessagePackReader throws all three on a malformed info map.
            return Fail(MeshDropReason.HandshakeAuth);
        }

        if (_teamFilter && !string.Equals(peer.Team, _self.Team, StringComparison.OrdinalIgnoreCase))
            return Fail(MeshDropReason.Team);
        Peer = peer;
        State = HandshakeState.Up;
        return [];
    }

    private IReadOnlyList<byte[]> Fail(MeshDropReason reason)
    {
        State = HandshakeState.Failed;
        Failure = reason;
        if (_session != _lastUp) _session?.Dispose();
        _session = null;
        return [];
    }

    private byte[] AuthPlaintext()
    {
        var writer = new ArrayBufferWriter<byte>(96);
        writer.Write(Mac(_agreed!, _nonce, _peerNonce!));
        var pack = new MessagePackWriter(writer);
        pack.WriteMapHeader(3);
        pack.Write("node");
        pack.Write(_self.Node.ToBytes());
        pack.Write("team");
        pack.Write(_self.Team);
        pack.Write("max_ver");
        pack.Write(_self.MaxVersion);
        pack.Flush();
        return writer.WrittenSpan.ToArray();
    }

    private static MeshPeerInfo ReadInfo(ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        NodeId? node = null;
        string? team = null;
        var version = 1;
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadString())
            {
                case "node":
                    var raw = reader.ReadBytes() ?? throw new MessagePackSerializationException("node is nil");
                    if (raw.Length != NodeId.Size) throw new MessagePackSerializationException("node id is not 16 bytes");
                    node = NodeId.Read(raw.FirstSpan.Length == NodeId.Size ? raw.FirstSpan : raw.ToArray());
                    break;
                case "team":
                    team = reader.ReadString();
                    break;
                case "max_ver":
                    version = reader.ReadInt32();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (node is null || string.IsNullOrEmpty(team)) throw new MessagePackSerializationException("handshake info lacks node or team");
        return new MeshPeerInfo(node.Value, team, version);
    }

    private static byte[] Mac(MeshKeySet keys, ReadOnlySpan<byte> senderNonce, ReadOnlySpan<byte> receiverNonce)
    {
        Span<byte> input = stackalloc byte[AuthLabel.Length + 2 * SealedFrame.NonceSize];
        AuthLabel.CopyTo(input);
        senderNonce.CopyTo(input[AuthLabel.Length..]);
        receiverNonce.CopyTo(input[(AuthLabel.Length + SealedFrame.NonceSize)..]);
        return HMACSHA256.HashData(keys.Auth, input);
    }

    private static LinkSession CreateSession(MeshKeySet keys, byte[] own, byte[] peer)
    {
        var ownIsLow = own.AsSpan().SequenceCompareTo(peer) < 0;
        var (lo, hi) = ownIsLow ? (own, peer) : (peer, own);
        Span<byte> okm = stackalloc byte[64];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keys.Link, okm, [.. lo, .. hi], SessionInfo);
        var loToHi = okm[..32];
        var hiToLo = okm[32..];
        return ownIsLow
            ? new LinkSession(keys.KeyId, loToHi, hiToLo)
            : new LinkSession(keys.KeyId, hiToLo, loToHi);
    }
}
