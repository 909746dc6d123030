namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>
/// The sender's side of fragment recovery on a point-to-point link: the fragments of the last few messages,
/// kept briefly so a NACK can be answered (specs/mesh.md: 16 messages, 256 KiB, 5 s).
/// </summary>
public sealed class RetransmitBuffer
{
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private readonly TimeSpan _keep;
    private readonly LinkedList<Entry> _entries = new();
    private long _bytes;

    public RetransmitBuffer(int maxMessages = 16, long maxBytes = 256 * 1024, TimeSpan? keep = null)
    {
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
        _keep = keep ?? TimeSpan.FromSeconds(5);
    }

    public void Remember(uint messageId, byte[][] fragments, TimeSpan now)
    {
        if (fragments.Length < 2) return;
        var size = fragments.Sum(f => (long)f.Length);
        if (size > _maxBytes) return;
        _entries.AddLast(new Entry(messageId, fragments, now, size));
        _bytes += size;
        while (_entries.Count > _maxMessages || _bytes > _maxBytes) RemoveFirst();
    }

    /// <summary>The fragments a NACK asks for, if still held.</summary>
    public IReadOnlyList<byte[]> Answer(FragmentHeader nack, ReadOnlyMemory<byte> frame, TimeSpan now)
    {
        while (_entries.First is { } first && now - first.Value.SentAt > _keep) RemoveFirst();
        foreach (var entry in _entries)
        {
            if (entry.MessageId != nack.MessageId || entry.Fragments.Length != nack.Count) continue;
            return Fragmenter.MissingIn(frame, nack.Count).Select(i => entry.Fragments[i]).ToArray();
        }

        return [];
    }

    private void RemoveFirst()
    {
        _bytes -= _entries.First!.Value.Size;
        _entries.RemoveFirst();
    }

    private sealed record Entry(uint MessageId, byte[][] Fragments, TimeSpan SentAt, long Size);
}
