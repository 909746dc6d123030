using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// Two ends of a link inside one process, for tests: what one end sends the other receives, optionally losing a
/// fraction of frames (seeded, so a test is repeatable).
/// </summary>
public static class InMemoryLink
{
    public static (Flow<byte[], byte[], NotUsed> A, Flow<byte[], byte[], NotUsed> B) CreatePair(double loss = 0, int seed = 1, int capacity = 1024)
    {
        var aToB = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        var bToA = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        var random = new Random(seed);
        return (End(aToB.Writer, bToA.Reader), End(bToA.Writer, aToB.Reader));

        Flow<byte[], byte[], NotUsed> End(ChannelWriter<byte[]> send, ChannelReader<byte[]> receive)
        {
            var sink = Flow.Create<byte[]>()
                .Where(_ => loss <= 0 || Lossy())
                .To(ChannelSink.FromWriter(send, isOwner: true));
            return Flow.FromSinkAndSource(sink, ChannelSource.FromReader(receive));
        }

        bool Lossy()
        {
            lock (random) return random.NextDouble() >= loss;
        }
    }
}
