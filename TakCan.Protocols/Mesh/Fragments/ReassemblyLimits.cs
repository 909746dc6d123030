namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>Bounds on reassembly per link (specs/mesh.md, "Fragment").</summary>
public sealed record ReassemblyLimits
{
    public static ReassemblyLimits Default { get; } = new();

    public int MaxMessageBytes { get; init; } = 64 * 1024;

    public int MaxPartialMessages { get; init; } = 8;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Quiet time on a message with gaps before its receiver asks for the missing fragments.</summary>
    public TimeSpan NackDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public int MaxNacks { get; init; } = 5;
}
