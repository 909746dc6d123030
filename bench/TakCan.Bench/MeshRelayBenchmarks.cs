using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;
using TakCan.Protocols.Mesh.Fragments;
using TakCan.Protocols.Mesh.Relay;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Bench;

/// <summary>
/// A relaying node's work per frame for a 200-byte CoT payload — reassemble, open (AES-GCM, replay window),
/// envelope decode, dedupe, ttl step, envelope encode, seal, fragment — against the bare AES-GCM seal + open of the
/// same bytes, measured in one run (issue: relay ≥ 60 % of the bare loop). One operation = one frame.
/// </summary>
[MemoryDiagnoser]
public class MeshRelayBenchmarks
{
    private const int FramesPerIteration = 20_000;
    private const int PayloadSize = 200;
    private const int Mtu = 480;

    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(PayloadSize);
    private readonly NodeId _origin = NodeId.NewRandom();
    private LinkSession _upstreamSender = null!;
    private LinkSession _inbound = null!;
    private LinkSession _outbound = null!;
    private LinkSession _downstream = null!;
    private Reassembler _reassembler = null!;
    private DedupeCache _dedupe = null!;
    private byte[][] _frames = [];
    private uint _sequence;
    private uint _messageId;

    private AesGcm _bareSeal = null!;
    private AesGcm _bareOpen = null!;
    private byte[] _bareFrame = [];
    private byte[] _barePlain = [];
    private readonly byte[] _bareHeader = new byte[SealedFrame.LinkHeaderSize];
    private ulong _bareCounter;

    [GlobalSetup]
    public void Setup()
    {
        var keys = new MeshKeyRing(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
        (_upstreamSender, _inbound) = Link(keys);
        (_outbound, _downstream) = Link(keys);
        _reassembler = new Reassembler();
        _dedupe = new DedupeCache();

        var key = RandomNumberGenerator.GetBytes(32);
        _bareSeal = new AesGcm(key, 16);
        _bareOpen = new AesGcm(key, 16);
        var envelopeSize = MeshEnvelopeCodec.ToBytes(new MeshEnvelope(MeshMessageKind.Cot, _origin, 0, 3, 0, _payload)).Length;
        _bareFrame = new byte[envelopeSize + 16];
        _barePlain = new byte[envelopeSize];
    }

    /// <summary>Frames from the upstream neighbour, each a new message (fresh counter, fresh sequence number).</summary>
    [IterationSetup(Target = nameof(Relay))]
    public void MakeInboundFrames()
    {
        _frames = new byte[FramesPerIteration][];
        for (var i = 0; i < _frames.Length; i++)
        {
            var envelope = new MeshEnvelope(MeshMessageKind.Cot, _origin, ++_sequence, 3, 0, _payload);
            var sealedFrame = _upstreamSender.Seal(MeshEnvelopeCodec.ToBytes(envelope));
            _messageId = FragmentHeader.NextMessageId(_messageId);
            _frames[i] = Fragmenter.Split(sealedFrame, _messageId, Mtu)[0];
        }
    }

    [Benchmark(OperationsPerInvoke = FramesPerIteration)]
    public int Relay()
    {
        var relayed = 0;
        var now = TimeSpan.Zero;
        foreach (var frame in _frames)
        {
            FragmentHeader.TryRead(frame, out var header);
            if (_reassembler.Accept(header, frame.AsSpan(FragmentHeader.Size), now, out var sealedFrame, out _) != ReassemblyOutcome.Complete) continue;
            if (!_inbound.TryOpen(sealedFrame, out var plaintext, out _)) continue;
            var envelope = MeshEnvelopeCodec.Read(plaintext);
            if (!_dedupe.TryAdd(envelope.Origin, envelope.Sequence, 1, now, out _) || envelope.Ttl <= 1) continue;
            var forward = _outbound.Seal(MeshEnvelopeCodec.ToBytes(envelope.Relayed()));
            _messageId = FragmentHeader.NextMessageId(_messageId);
            relayed += Fragmenter.Split(forward, _messageId, Mtu).Length;
        }

        return relayed == FramesPerIteration ? relayed : throw new InvalidOperationException($"relayed {relayed} of {FramesPerIteration}");
    }

    [Benchmark(Baseline = true)]
    public int BareSealOpen()
    {
        Span<byte> nonce = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], ++_bareCounter);
        // The same AES-GCM work a link frame needs: this payload, a 16-byte tag and the 11-byte header as associated data.
        _bareSeal.Encrypt(nonce, _barePlain, _bareFrame.AsSpan(0, _barePlain.Length), _bareFrame.AsSpan(_barePlain.Length), _bareHeader);
        _bareOpen.Decrypt(nonce, _bareFrame.AsSpan(0, _barePlain.Length), _bareFrame.AsSpan(_barePlain.Length), _barePlain, _bareHeader);
        return _barePlain[0];
    }

    private static (LinkSession A, LinkSession B) Link(MeshKeyRing keys)
    {
        var a = new LinkHandshake(keys, new MeshPeerInfo(NodeId.NewRandom(), "Cyan"));
        var b = new LinkHandshake(keys, new MeshPeerInfo(NodeId.NewRandom(), "Cyan"));
        var toB = new Queue<byte[]>([a.CreateHello()]);
        var toA = new Queue<byte[]>();
        while (toB.Count + toA.Count > 0)
        {
            while (toB.TryDequeue(out var frame)) foreach (var reply in b.Receive(frame)) toA.Enqueue(reply);
            while (toA.TryDequeue(out var frame)) foreach (var reply in a.Receive(frame)) toB.Enqueue(reply);
        }

        return (a.Session ?? throw new InvalidOperationException("handshake failed"), b.Session!);
    }
}
