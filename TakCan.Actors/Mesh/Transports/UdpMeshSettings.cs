using System.Net;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>UDP mesh transport configuration (specs/mesh.md, "Discovery").</summary>
public sealed record UdpMeshSettings
{
    public const int DefaultPort = 17100;

    /// <summary>Where to listen; port 0 picks a free port (tests, rigs).</summary>
    public IPEndPoint Bind { get; init; } = new(IPAddress.Any, DefaultPort);

    /// <summary>Neighbours to link with regardless of discovery: forces a topology (a line on one machine).</summary>
    public IReadOnlyList<IPEndPoint> StaticPeers { get; init; } = [];

    public bool Discovery { get; init; } = true;

    public IPEndPoint DiscoveryGroup { get; init; } = new(IPAddress.Parse("239.255.84.67"), 17045);

    /// <summary>Interface for discovery multicast; 127.0.0.1 keeps it on one machine.</summary>
    public IPAddress DiscoveryInterface { get; init; } = IPAddress.Any;

    public TimeSpan BeaconInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Delay before a configured peer whose link ended is tried again.</summary>
    public TimeSpan PeerRetry { get; init; } = TimeSpan.FromSeconds(2);

    public int Mtu { get; init; } = 1400;

    /// <summary>Most simultaneous links; datagrams from further unknown addresses are ignored.</summary>
    public int MaxLinks { get; init; } = 64;
}
