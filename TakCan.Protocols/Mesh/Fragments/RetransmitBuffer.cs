namespace TakCan.Protocols.Mesh.Fragments;

/// <summary>
/// The sender's side of fragment recovery on a point-to-point link: the fragments of the last few messages,
/// kept briefly so a NACK can be answered (specs/mesh.md: 16 messages, 256 KiB, 5 s). NACKs are not authenticated
/// (they sit below the seal), so what they can make a sender resend is bounded: at most
/// <see cref="MaxResendFactor"/> times a message's size for each message, and the buffer's size per keep period.
/// </summary>
public sealed class RetransmitBuffer
{
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private readonly TimeSpan _keep;
    private readonly LinkedList<Entry> _entries = new();
    private long _bytes;
    private readonly Queue<(TimeSpan At, long Bytes)> _resent = new();
    private long _resentBytes;

    /// <summary>
    /// Resent bytes per message, as a multiple of its size. A receiver losing 30 % of frames needs about half its size
    /// again; four times is what no honest receiver asks for.
    /// </summary>
    public const int MaxResendFactor = 4;

    /// <summary>NACKs refused for going over the bounds.</summary>
    public long Refused { get; private set; }

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
        while (_resent.TryPeek(out var old) && now - old.At > _keep) _resentBytes -= _resent.Dequeue().Bytes;
        foreach (var entry in _entries)
        {
            if (entry.MessageId != nack.MessageId || entry.Fragments.Length != nack.Count) continue;
            var answer = Fragmenter.MissingIn(frame, nack.Count).Select(i => entry.Fragments[i]).ToArray();
            var bytes = answer.Sum(f => (long)f.Length);
            if (entry.Resent + bytes > MaxResendFactor * entry.Size || _resentBytes + bytes > _maxBytes)
            {
                Refused++;
                return [];
            }

            entry.Resent += bytes;
            _resent.Enqueue((now, bytes));
            _resentBytes += bytes;
            return answer;
        }

        return [];
    }

    private void RemoveFirst()
    {
        _bytes -= _entries.First!.Value.Size;
        _entries.RemoveFirst();
    }

    private sealed record Entry(uint MessageId, byte[][] Fragments, TimeSpan SentAt, long Size)
    {
        public long Resent { get; set; }
    }
}
