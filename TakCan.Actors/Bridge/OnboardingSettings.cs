using TakCan.Protocols.Mesh;

namespace TakCan.Actors.Bridge;

/// <summary>How a device proves itself to the bridges on its mesh (specs/bridge.md, "Onboarding, the peer's side").</summary>
/// <param name="Node">This device's mesh node id.</param>
/// <param name="Uid">This device's CoT uid: the one its events (and markers) go up under.</param>
/// <param name="Identity">
/// Reads the certificate to onboard with (e.g. the one enrolled for a server, from the key store); null when there is
/// none yet. Asked again every <see cref="OnboardingSettings.CheckInterval"/>, so a certificate enrolled while the node
/// runs is used without a restart, and a renewed one replaces the old.
/// </param>
public sealed record OnboardingSettings(NodeId Node, string Uid, Func<CancellationToken, Task<OnboardingIdentity?>> Identity)
{
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The onboard message is sent again this often, for bridges that joined the mesh since (a bridge keeps what it
    /// accepted, so this is the longest a new bridge waits).
    /// </summary>
    public TimeSpan Resend { get; init; } = TimeSpan.FromMinutes(5);
}
