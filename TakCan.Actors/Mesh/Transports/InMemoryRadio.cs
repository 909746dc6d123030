using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// A broadcast medium inside one process: a frame one node transmits is heard by every node in its range, once.
/// For tests of broadcast relay and suppression; the simulator's radio adds positions, loss, latency and airtime.
/// </summary>
public sealed class InMemoryRadio
{
    private readonly ConcurrentDictionary<string, Channel<byte[]>> _receivers = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _range = new();
    private long _transmissions;

    /// <summary>Frames transmitted so far (one per transmission, however many hear it).</summary>
    public long Transmissions => Interlocked.Read(ref _transmissions);

    /// <summary>Puts two nodes in radio range of each other.</summary>
    public void InRange(string a, string b)
    {
        _range.GetOrAdd(a, _ => new())[b] = true;
        _range.GetOrAdd(b, _ => new())[a] = true;
    }

    /// <summary>A node's radio: a transport offering one broadcast link.</summary>
    public IMeshTransport Join(string node, int mtu = BleProfile.Mtu)
    {
        var receiver = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
        _receivers[node] = receiver;
        var transmit = Sink.ForEach<byte[]>(frame => Transmit(node, frame)).MapMaterializedValue(_ => NotUsed.Instance);
        var offer = new MeshLinkOffer("radio", $"radio {node}", MeshMedium.Broadcast, mtu,
            Flow.FromSinkAndSource(transmit, ChannelSource.FromReader(receiver.Reader)));
        return new Radio(offer);
    }

    private void Transmit(string from, byte[] frame)
    {
        Interlocked.Increment(ref _transmissions);
        if (!_range.TryGetValue(from, out var neighbours)) return;
        foreach (var neighbour in neighbours.Keys)
            if (_receivers.TryGetValue(neighbour, out var receiver))
                receiver.Writer.TryWrite(frame);
    }

    private sealed class Radio(MeshLinkOffer offer) : IMeshTransport
    {
        public string Name => "radio";

        public Source<MeshLinkOffer, NotUsed> Links => Source.Single(offer).Concat(Source.Never<MeshLinkOffer>());

        public void Dispose()
        {
        }
    }
}
