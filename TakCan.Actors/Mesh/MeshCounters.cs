using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Mesh;

/// <summary>
/// Drop and traffic counters of one node's mesh, shared by all its link pipelines (hence thread-safe).
/// Read by the status API and the simulator report.
/// </summary>
public sealed class MeshCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<MeshDropReason>().Length];
    private long _framesSent;
    private long _framesReceived;
    private long _delivered;
    private long _relayed;
    private long _originated;

    public void Drop(MeshDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    public long Drops(MeshDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    public void FrameSent() => Interlocked.Increment(ref _framesSent);

    public void FrameReceived() => Interlocked.Increment(ref _framesReceived);

    public void Delivered() => Interlocked.Increment(ref _delivered);

    public void Relayed() => Interlocked.Increment(ref _relayed);

    public void Originated() => Interlocked.Increment(ref _originated);

    public MeshCountersSnapshot Snapshot() => new(
        Interlocked.Read(ref _framesSent),
        Interlocked.Read(ref _framesReceived),
        Interlocked.Read(ref _originated),
        Interlocked.Read(ref _delivered),
        Interlocked.Read(ref _relayed),
        Enum.GetValues<MeshDropReason>().ToDictionary(r => r, Drops));
}

/// <summary>A moment's reading of <see cref="MeshCounters"/>.</summary>
public sealed record MeshCountersSnapshot(
    long FramesSent,
    long FramesReceived,
    long Originated,
    long Delivered,
    long Relayed,
    IReadOnlyDictionary<MeshDropReason, long> Drops);
