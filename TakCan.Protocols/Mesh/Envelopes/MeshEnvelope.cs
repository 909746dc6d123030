namespace TakCan.Protocols.Mesh.Envelopes;

/// <summary>
/// One mesh message as relayed hop to hop, inside the encryption. (Origin, Sequence) identifies it for dedupe;
/// Ttl and Hops change at each relay and are re-sealed, so they cannot be raised in transit.
/// </summary>
public sealed record MeshEnvelope(MeshMessageKind Kind, NodeId Origin, uint Sequence, byte Ttl, byte Hops, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The origin's signature over kind, origin, sequence and payload (<see cref="EnvelopeSignature"/>), or null when the
    /// origin does not sign; relays pass it on unchanged (specs/bridge.md, "Envelope signature").
    /// </summary>
    public ReadOnlyMemory<byte>? Signature { get; init; }

    /// <summary>The copy a relay sends on: one hop further, one less to go.</summary>
    public MeshEnvelope Relayed() => this with { Ttl = (byte)(Ttl - 1), Hops = (byte)(Hops + 1) };

    public bool Equals(MeshEnvelope? other) =>
        other is not null && Kind == other.Kind && Origin == other.Origin && Sequence == other.Sequence && Ttl == other.Ttl &&
        Hops == other.Hops && Payload.Span.SequenceEqual(other.Payload.Span) &&
        Signature.HasValue == other.Signature.HasValue && (!Signature.HasValue || Signature.Value.Span.SequenceEqual(other.Signature!.Value.Span));

    public override int GetHashCode() => HashCode.Combine(Kind, Origin, Sequence, Ttl, Hops, Payload.Length);
}
