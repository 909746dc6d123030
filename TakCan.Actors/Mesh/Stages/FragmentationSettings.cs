using TakCan.Protocols.Mesh.Fragments;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>The fragment layer of one link: its MTU and whether lost fragments are asked for again.</summary>
/// <param name="Mtu">Largest frame the link carries: 480 bytes on BLE, about 1 400 on UDP/WiFi.</param>
/// <param name="Retransmit">NACK-based recovery; for point-to-point links, where a NACK reaches exactly the sender.</param>
public sealed record FragmentationSettings(int Mtu, bool Retransmit = true)
{
    public const int BleMtu = 480;
    public const int UdpMtu = 1400;

    public ReassemblyLimits Limits { get; init; } = ReassemblyLimits.Default;

    /// <summary>How often partial messages are checked for NACKs and timeouts.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(25);
}
