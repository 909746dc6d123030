namespace TakCan.Protocols.Mesh;

/// <summary>Why a frame or message was dropped; each is a counter in the device status (specs/mesh.md).</summary>
public enum MeshDropReason
{
    FragmentInvalid,
    ReassemblyTimeout,
    ReassemblyEvicted,
    ReassemblyTooLarge,
    Auth,
    Replay,
    HandshakeAuth,
    HandshakeTimeout,
    Team,
    Ttl,
    Dedupe,
    EnvelopeInvalid,

    /// <summary>An up point-to-point link heard nothing authenticated from its neighbour for the link timeout.</summary>
    LinkTimeout,

    /// <summary>A NACK asked for more resends than a receiver would (per message, or in bytes per keep period).</summary>
    NackRefused,
}
