namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>What an envelope carries (specs/mesh.md, "Envelope").</summary>
public enum MeshMessageKind : byte
{
    /// <summary>A CoT event as TAK Protocol v1 TakMessage bytes.</summary>
    Cot = 0,
    Control = 1,

    /// <summary>End-to-end acknowledgement (guaranteed delivery of emergencies and chat).</summary>
    Ack = 2,
    Beacon = 3,
}
