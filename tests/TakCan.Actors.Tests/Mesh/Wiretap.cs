using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;
using TakCan.Actors.Mesh.Transports;

namespace TakCan.Actors.Tests.Mesh;

/// <summary>A link between two nodes that records what A sends and lets a test inject frames, as an attacker on the air could.</summary>
internal sealed class Wiretap
{
    private readonly Channel<byte[]> _toB = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<byte[]> _toA = Channel.CreateUnbounded<byte[]>();

    public ConcurrentQueue<byte[]> SentByA { get; } = new();

    public static Wiretap Between(InMemoryMeshTransport a, InMemoryMeshTransport b)
    {
        var tap = new Wiretap();
        a.Offer(tap.End(tap._toB.Writer, tap._toA.Reader, tap.SentByA), "tapped A → B");
        b.Offer(tap.End(tap._toA.Writer, tap._toB.Reader, null), "tapped B → A");
        return tap;
    }

    public void InjectTowardsB(byte[] frame) => _toB.Writer.TryWrite(frame);

    private Flow<byte[], byte[], NotUsed> End(ChannelWriter<byte[]> send, ChannelReader<byte[]> receive, ConcurrentQueue<byte[]>? record)
    {
        var sink = Flow.Create<byte[]>().Select(frame =>
        {
            record?.Enqueue(frame);
            return frame;
        }).To(ChannelSink.FromWriter(send, isOwner: false));
        return Flow.FromSinkAndSource(sink, ChannelSource.FromReader(receive));
    }
}
