using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// Links between nodes in one process, wired by hand: tests build lines, rings and lossy links with it.
/// </summary>
public sealed class InMemoryMeshTransport : IMeshTransport
{
    private readonly Channel<MeshLinkOffer> _offers = Channel.CreateUnbounded<MeshLinkOffer>();

    public InMemoryMeshTransport(string name = "memory") => Name = name;

    public string Name { get; }

    public Source<MeshLinkOffer, NotUsed> Links => ChannelSource.FromReader(_offers.Reader);

    /// <summary>Links two nodes point to point, losing a fraction of frames each way.</summary>
    public static void Connect(InMemoryMeshTransport a, InMemoryMeshTransport b, int mtu = 1400, double loss = 0, int seed = 1)
    {
        var (toB, toA) = InMemoryLink.CreatePair(loss, seed);
        a._offers.Writer.TryWrite(new MeshLinkOffer(a.Name, $"{a.Name} → {b.Name}", MeshMedium.PointToPoint, mtu, toB));
        b._offers.Writer.TryWrite(new MeshLinkOffer(b.Name, $"{b.Name} → {a.Name}", MeshMedium.PointToPoint, mtu, toA));
    }

    /// <summary>Offers a raw connection, e.g. one end of a link whose other end a test drives itself.</summary>
    public void Offer(Flow<byte[], byte[], NotUsed> connection, string description, int mtu = 1400) =>
        _offers.Writer.TryWrite(new MeshLinkOffer(Name, description, MeshMedium.PointToPoint, mtu, connection));

    public void Dispose() => _offers.Writer.TryComplete();
}
