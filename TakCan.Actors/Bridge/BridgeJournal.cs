namespace TakCan.Actors.Bridge;

/// <summary>
/// What <see cref="BridgeActor"/> persists: plain records stored by <see cref="TakCan.Actors.Device.JournalSerializer"/>
/// under stable manifests. Add properties (nullable or defaulted) or new records; never rename a property.
/// </summary>
public static class BridgeJournal
{
    /// <summary>A mesh peer proved that a trusted CA vouches for it (specs/bridge.md, "Onboarding").</summary>
    /// <param name="Node">Mesh node id, 32 hex digits.</param>
    /// <param name="Uid">The CoT uid whose events (and markers) it may send up.</param>
    /// <param name="Subject">The certificate's subject (its CN is the TAK Server user).</param>
    /// <param name="Fingerprint">SHA-256 of the certificate, hex.</param>
    /// <param name="NotAfter">When the certificate, and so the onboarding, expires (UTC).</param>
    /// <param name="Certificate">The certificate (DER): its key checks the peer's envelope signatures.</param>
    /// <param name="Realms">The servers (realms, hex) whose CA vouched for it: the only ones its CoT goes to.</param>
    public sealed record PeerOnboarded(
        string Node,
        string Uid,
        string Subject,
        string Fingerprint,
        DateTime NotAfter,
        byte[] Certificate,
        IReadOnlyList<string> Realms,
        DateTime OnboardedAt) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>The peer is no longer onboarded: its certificate expired, or an operator removed it.</summary>
    public sealed record PeerRemoved(string Node, string Reason) : TakCan.Actors.Device.IJournalRecord;

    /// <summary>
    /// An operator removed the peer: it is no longer onboarded, and its certificate cannot onboard again (a lost or
    /// stolen device keeps resending it). Remembered until the certificate expires; a new certificate from the server
    /// onboards as usual.
    /// </summary>
    /// <param name="Fingerprint">SHA-256 of the removed certificate, hex.</param>
    public sealed record PeerRevoked(string Node, string Fingerprint, DateTime NotAfter) : TakCan.Actors.Device.IJournalRecord;
}
