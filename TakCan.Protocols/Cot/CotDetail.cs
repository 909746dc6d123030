using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot;

/// <summary>
/// The children of <c>&lt;detail&gt;</c>, in the order they arrived. Typed accessors return the first element of
/// their kind; elements TAK Can does not model are <see cref="OpaqueElement"/>s and survive unchanged.
/// </summary>
public sealed record CotDetail
{
    public static CotDetail Empty { get; } = new();

    public CotDetail()
    {
    }

    public CotDetail(IEnumerable<DetailElement> elements) => Elements = new EquatableArray<DetailElement>(elements);

    public EquatableArray<DetailElement> Elements { get; init; } = EquatableArray<DetailElement>.Empty;

    public bool IsEmpty => Elements.IsEmpty;

    public Contact? Contact => Get<Contact>();

    public Group? Group => Get<Group>();

    public Takv? Takv => Get<Takv>();

    public Track? Track => Get<Track>();

    public Status? Status => Get<Status>();

    public PrecisionLocation? PrecisionLocation => Get<PrecisionLocation>();

    public DroidUid? DroidUid => Get<DroidUid>();

    public Remarks? Remarks => Get<Remarks>();

    public Chat? Chat => Get<Chat>();

    public Emergency? Emergency => Get<Emergency>();

    public Video? Video => Get<Video>();

    public Geofence? Geofence => Get<Geofence>();

    public Shape? Shape => Get<Shape>();

    public Marti? Marti => Get<Marti>();

    public FlowTags? FlowTags => Get<FlowTags>();

    public IEnumerable<Link> Links => All<Link>();

    /// <summary>Element names in order, e.g. for an operator's summary of what an event carries.</summary>
    public IEnumerable<string> Kinds => Elements.Select(static e => e.Name);

    public T? Get<T>() where T : DetailElement
    {
        foreach (var element in Elements)
            if (element is T typed)
                return typed;
        return null;
    }

    public IEnumerable<T> All<T>() where T : DetailElement => Elements.OfType<T>();

    /// <summary>Replaces the first element of the same kind (same type and name), or appends.</summary>
    public CotDetail With(DetailElement element)
    {
        var items = Elements.AsImmutableArray();
        for (var i = 0; i < items.Length; i++)
            if (items[i].GetType() == element.GetType() && items[i].Name == element.Name)
                return this with { Elements = items.SetItem(i, element) };
        return this with { Elements = items.Add(element) };
    }

    public CotDetail Without<T>() where T : DetailElement =>
        this with { Elements = Elements.AsImmutableArray().RemoveAll(static e => e is T) };
}
