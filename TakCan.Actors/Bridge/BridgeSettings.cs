using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Bridge;

/// <summary>A bridge's configuration (specs/bridge.md lists the defaults), read once and passed down.</summary>
/// <param name="Node">This device's mesh node id: the origin of what the bridge sends into the mesh, and its flow tag.</param>
public sealed record BridgeSettings(NodeId Node)
{
    /// <summary>Journal id of the onboarded peers; one per device.</summary>
    public string PersistenceId { get; init; } = "bridge";

    /// <summary>How far an onboard message's time may be from the bridge's clock, either way.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a CoT uid and time is remembered to stop echoes between the mesh and the servers.</summary>
    public TimeSpan EchoWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Uid and time pairs remembered at most (oldest forgotten first).</summary>
    public int EchoCapacity { get; init; } = 16_384;

    /// <summary>
    /// How long a server event waits before it enters the mesh: if the same uid and time comes through the mesh meanwhile
    /// (the server passing on what a mesh node sent it through another way), it stays out.
    /// </summary>
    public TimeSpan DownHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Announcement period; a bridge not heard for <see cref="AnnouncementsMissed"/> periods is taken as gone.</summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromSeconds(30);

    public int AnnouncementsMissed { get; init; } = 3;

    /// <summary>Server trust (CA certificates) is read again at most this often for onboarding.</summary>
    public TimeSpan TrustRefresh { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Onboarded peers kept at most; an onboard beyond it is refused.</summary>
    public int MaxPeers { get; init; } = 1024;

    /// <summary>Onboard messages waiting for the server trust to be read; more are dropped (counted as refused).</summary>
    public int MaxPendingOnboards { get; init; } = 16;

    public TimeSpan Liveness => AnnounceInterval * AnnouncementsMissed;
}
