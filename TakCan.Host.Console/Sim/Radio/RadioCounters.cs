using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Host.Console.Sim.Radio;

/// <summary>What went over the simulated air. A message transmission is a frame carrying the first fragment of a
/// message: the unit <c>transmissions_per_message</c> counts (specs/sim-report.md).</summary>
public sealed class RadioCounters
{
    public long Frames { get; private set; }

    public long MessageTransmissions { get; private set; }

    public long BytesOnAir { get; private set; }

    public TimeSpan Airtime { get; private set; }

    public long FramesHeard { get; private set; }

    public long FramesLost { get; private set; }

    public long FramesBacklogged { get; private set; }

    public void Transmitted(byte[] frame, TimeSpan airtime)
    {
        Frames++;
        BytesOnAir += frame.Length;
        Airtime += airtime;
        if (FragmentHeader.TryRead(frame, out var header) && header is { Kind: FragmentHeader.DataKind, Index: 0 }) MessageTransmissions++;
    }

    public void FrameHeard() => FramesHeard++;

    public void FrameLost() => FramesLost++;

    public void Backlogged() => FramesBacklogged++;
}
