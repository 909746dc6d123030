namespace TakCan.Protocols.Mesh.Fragments;

public enum ReassemblyOutcome
{
    /// <summary>The message is whole.</summary>
    Complete,

    /// <summary>Fragment kept; more are needed.</summary>
    Pending,

    /// <summary>Already had this fragment (or the message is already complete): ignored, not an error.</summary>
    Duplicate,

    /// <summary>Refused; see the drop reason.</summary>
    Dropped,
}
