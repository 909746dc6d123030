using TakCan.Protocols.Cot;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// A mission's CoT as <see cref="MissionCotReader"/> read it: the events that could be read, in the server's order,
/// and how many could not (<see cref="BadEvents"/>), with the reasons for the first few.
/// </summary>
public sealed record MissionCot(EquatableArray<CotEvent> Events, int BadEvents, EquatableArray<string> Problems)
{
    public static MissionCot Empty { get; } = new(EquatableArray<CotEvent>.Empty, 0, EquatableArray<string>.Empty);
}
