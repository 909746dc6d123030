using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Tests.Mesh.Stages;

/// <summary>
/// The air between two protocol layers under test: records what each side sends, lets a test lose or alter frames
/// in transit (one function per direction, null loses the frame) and inject frames of its own, as anyone in range could.
/// Like the air, it carries no stream signals: one side failing or stopping does not end the other.
/// </summary>
internal sealed class Wire
{
    private readonly Channel<byte[]> _towardsA = Channel.CreateUnbounded<byte[]>();
    private readonly Channel<byte[]> _towardsB = Channel.CreateUnbounded<byte[]>();
    private volatile Func<byte[], byte[]?> _aToB = frame => frame;
    private volatile Func<byte[], byte[]?> _bToA = frame => frame;

    /// <summary>What happens to each frame A sends, on its way to B.</summary>
    public Func<byte[], byte[]?> AToB
    {
        get => _aToB;
        set => _aToB = value;
    }

    /// <summary>What happens to each frame B sends, on its way to A.</summary>
    public Func<byte[], byte[]?> BToA
    {
        get => _bToA;
        set => _bToA = value;
    }

    public ConcurrentQueue<byte[]> SentByA { get; } = new();

    public ConcurrentQueue<byte[]> SentByB { get; } = new();

    /// <summary>Top: A's side (frames A sends in, frames for A out); bottom: B's side.</summary>
    public BidiFlow<byte[], byte[], byte[], byte[], NotUsed> Flow =>
        BidiFlow.FromFlows(Direction(SentByA, () => _aToB, _towardsB), Direction(SentByB, () => _bToA, _towardsA));

    public void InjectTowardsA(byte[] frame) => _towardsA.Writer.TryWrite(frame);

    public void InjectTowardsB(byte[] frame) => _towardsB.Writer.TryWrite(frame);

    /// <summary>Loses every <paramref name="n"/>th frame of a direction: a lossy link that a test can repeat exactly.</summary>
    public static Func<byte[], byte[]?> LoseEvery(int n)
    {
        var sent = 0;
        return frame => ++sent % n == 0 ? null : frame;
    }

    private static Flow<byte[], byte[], NotUsed> Direction(ConcurrentQueue<byte[]> record, Func<Func<byte[], byte[]?>> transit,
        Channel<byte[]> air) =>
        Akka.Streams.Dsl.Flow.FromSinkAndSource(
            Akka.Streams.Dsl.Flow.Create<byte[]>()
                .SelectMany(frame =>
                {
                    record.Enqueue(frame);
                    return transit()(frame) is { } arrived ? [arrived] : Array.Empty<byte[]>();
                })
                .To(ChannelSink.FromWriter(air.Writer, isOwner: false)),
            ChannelSource.FromReader(air.Reader));
}
