using System.Diagnostics.CodeAnalysis;

namespace TakCan.Protocols.Cot.Json;

/// <summary>One event read from a JSON Lines or array input: the event, or why the event at <see cref="Index"/> was skipped.</summary>
public sealed class CotJsonItem
{
    private CotJsonItem(int index, CotEvent? evt, CotFormatException? error)
    {
        Index = index;
        Event = evt;
        Error = error;
    }

    /// <summary>Zero-based position of the event in the input (blank lines do not count).</summary>
    public int Index { get; }

    public CotEvent? Event { get; }

    public CotFormatException? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsEvent => Event is not null;

    internal static CotJsonItem FromEvent(int index, CotEvent evt) => new(index, evt ?? throw new ArgumentNullException(nameof(evt)), null);

    internal static CotJsonItem FromError(int index, CotFormatException error) =>
        new(index, null, error ?? throw new ArgumentNullException(nameof(error)));

    public override string ToString() => IsEvent ? $"event {Index}: {Event.Uid} {Event.Type}" : Error.Message;
}
