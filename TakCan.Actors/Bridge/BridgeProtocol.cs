namespace TakCan.Actors.Bridge;

/// <summary>
/// Messages of <see cref="BridgeActor"/>. It takes <see cref="Mesh.MeshProtocol.MeshMessageReceived"/> (cot and
/// control) and server-sourced <see cref="Device.DeviceProtocol.CotReceived"/> from DeviceRoot, and these.
/// </summary>
public static class BridgeProtocol
{
    /// <summary>Ask for a <see cref="BridgeStatus"/>.</summary>
    public sealed record GetBridgeStatus
    {
        public static GetBridgeStatus Instance { get; } = new();
    }

    /// <summary>Remove an onboarded peer and revoke its certificate here (its CoT stays in the mesh until it onboards with a new
    /// certificate); answered with <see cref="PeerRemovedFromBridge"/>.</summary>
    /// <param name="Node">Mesh node id, hex.</param>
    public sealed record RemoveOnboardedPeer(string Node);

    /// <param name="Removed">False when no such peer was onboarded.</param>
    public sealed record PeerRemovedFromBridge(string Node, bool Removed);

    /// <param name="Node">This bridge's node id, hex.</param>
    /// <param name="Servers">The servers it bridges, and whether it is the active bridge for each.</param>
    /// <param name="Peers">Onboarded peers, expired ones excluded.</param>
    /// <param name="Bridges">Other bridges heard on the mesh within the liveness window.</param>
    /// <param name="LastRefusal">Why the last onboard message was refused; null when none was.</param>
    public sealed record BridgeStatus(
        string Node,
        IReadOnlyList<BridgedServer> Servers,
        IReadOnlyList<OnboardedPeer> Peers,
        IReadOnlyList<OtherBridge> Bridges,
        BridgeCounters Counters,
        string? LastRefusal);

    /// <param name="Realm">How every bridge names this server (specs/bridge.md, "Realms"), hex.</param>
    /// <param name="Active">This bridge forwards for it; false while a bridge with a lower node id announces the same realm.</param>
    /// <param name="Onboarding">Its CA can onboard peers (a TLS server with a readable CA).</param>
    public sealed record BridgedServer(string Name, string Realm, bool Active, bool Onboarding);

    /// <param name="Realms">The servers (realms, hex) whose CA vouched for it: the only ones its CoT goes to.</param>
    /// <param name="Uploaded">Its CoT sent to servers since the bridge started (not journalled).</param>
    /// <param name="Refused">
    /// Its CoT kept in the mesh since the bridge started: not signed by its key, or neither its uid nor a marker it owns.
    /// </param>
    public sealed record OnboardedPeer(
        string Node, string Uid, string Subject, string Fingerprint, DateTime NotAfter, IReadOnlyList<string> Realms, long Uploaded = 0, long Refused = 0);

    public sealed record OtherBridge(string Node, IReadOnlyList<string> Realms, DateTime LastHeard);

    /// <param name="Onboarded">Onboard messages accepted (a repeat of a known onboarding included).</param>
    /// <param name="OnboardRefused">Onboard messages refused (bad format, chain, signature, time, uid taken).</param>
    /// <param name="Uploaded">Mesh CoT sent to servers (once per event, whatever the number of servers).</param>
    /// <param name="Injected">Server CoT sent into the mesh.</param>
    /// <param name="NotOnboarded">Mesh CoT kept in the mesh: its origin is not onboarded (or has expired).</param>
    /// <param name="BadSignature">Mesh CoT kept in the mesh: unsigned, or not signed by the onboarded peer's key.</param>
    /// <param name="ForeignUid">Mesh CoT kept in the mesh: neither the peer's uid nor a marker it owns.</param>
    /// <param name="Echoes">Events not forwarded because they came the other way (flow tag, or uid and time seen).</param>
    /// <param name="Standby">Events not forwarded because another bridge is active for the server.</param>
    public sealed record BridgeCounters(
        long Onboarded,
        long OnboardRefused,
        long Uploaded,
        long Injected,
        long NotOnboarded,
        long BadSignature,
        long ForeignUid,
        long Echoes,
        long Standby);
}
