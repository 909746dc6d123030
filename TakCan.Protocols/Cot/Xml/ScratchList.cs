using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Collects items whose count is not known up front, then hands them out as one exact-size
/// <see cref="EquatableArray{T}"/>: a decoded event keeps one array per list, with no list object and no growth
/// copies. The working array is borrowed from a one-array-per-thread spare, cheaper than <c>ArrayPool</c> at this size.
/// A mutable struct: pass it by <c>ref</c>, and <see cref="Dispose"/> it to give the array back.
/// </summary>
internal struct ScratchList<T> : IDisposable
{
    /// <summary>A spare longer than this (after an unusually large detail) is left to the GC rather than kept.</summary>
    private const int MaxSpareLength = 256;

    [ThreadStatic]
    private static T[]? t_spare;

    private T[]? _items;
    private int _count;

    public readonly int Count => _count;

    public readonly ReadOnlySpan<T> Items => _items.AsSpan(0, _count);

    public void Add(T item)
    {
        var items = _items ??= TakeSpare();
        if (_count == items.Length)
        {
            var bigger = new T[items.Length * 2];
            items.AsSpan(0, _count).CopyTo(bigger);
            _items = items = bigger;
        }

        items[_count++] = item;
    }

    /// <summary>The items so far as an exact-size array that nothing else references.</summary>
    public readonly EquatableArray<T> ToEquatableArray() =>
        _count == 0 ? EquatableArray<T>.Empty : new(ImmutableCollectionsMarshal.AsImmutableArray(Items.ToArray()));

    public void Dispose()
    {
        var items = _items;
        if (items is null) return;
        // Only the used part can hold references; clearing it keeps the spare from rooting decoded elements.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) items.AsSpan(0, _count).Clear();
        if (items.Length <= MaxSpareLength) t_spare = items;
        _items = null;
        _count = 0;
    }

    private static T[] TakeSpare()
    {
        // Taken out of the slot while in use, so two lists on one thread never share it.
        var spare = t_spare;
        t_spare = null;
        return spare ?? new T[8];
    }
}
