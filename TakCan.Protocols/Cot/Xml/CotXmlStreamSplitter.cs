namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// Splits a TCP stream of CoT XML into events. Events arrive back to back, with or without an XML declaration
/// or newline between them, split across reads or several in one read; each ends right after
/// <c>&lt;/event&gt;</c> (ATAK-CIV takproto README, "Traditional Protocol"). UTF-8 only, as every TAK stream is.
/// </summary>
/// <remarks>
/// Memory is bounded: at most <see cref="CotXmlLimits.MaxEventBytes"/> of one unfinished event is kept (plus the
/// chunk being fed). An event that grows past the limit is dropped; <see cref="TryRead"/> reports it once with a
/// <see cref="CotFormatException"/> and reading resumes after that event's <c>&lt;/event&gt;</c>.
/// </remarks>
public sealed class CotXmlStreamSplitter
{
    private static ReadOnlySpan<byte> EndToken => "</event"u8;

    private readonly int _maxEventBytes;
    private readonly Queue<Item> _ready = new();
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanFrom;
    private bool _skipping;
    private long _consumed;
    private long _skippedFrom;

    public CotXmlStreamSplitter(CotXmlLimits? limits = null)
    {
        _maxEventBytes = (limits ?? CotXmlLimits.Default).MaxEventBytes;
        _buffer = new byte[Math.Min(_maxEventBytes, 16 * 1024)];
    }

    /// <summary>Events completed so far and not yet read.</summary>
    public int Pending => _ready.Count;

    /// <summary>True when bytes of an unfinished event are buffered (anything but whitespace).</summary>
    public bool HasPartialEvent => _buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n\0"u8) >= 0 || _skipping;

    /// <summary>Bytes held for the unfinished event; never more than the event limit plus one chunk.</summary>
    public int BufferedBytes => _end - _start;

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            // Feed in slices no larger than the limit so a huge read cannot make the buffer outgrow it.
            var slice = data.Length > _maxEventBytes ? data[.._maxEventBytes] : data;
            Append(slice);
            Extract();
            data = data[slice.Length..];
        }
    }

    /// <summary>
    /// The next complete event's bytes, in stream order.
    /// </summary>
    /// <exception cref="CotFormatException">The next item in the stream was an event over the size limit; it was dropped.</exception>
    public bool TryRead(out ReadOnlyMemory<byte> eventBytes)
    {
        if (!_ready.TryDequeue(out var item))
        {
            eventBytes = default;
            return false;
        }

        if (item.Error is not null) throw item.Error;
        eventBytes = item.Event;
        return true;
    }

    /// <summary>Call at end of stream: fails if an event was cut off.</summary>
    /// <exception cref="CotFormatException">The stream ended inside an event.</exception>
    public void Complete()
    {
        if (_skipping)
        {
            _skipping = false;
            throw new CotFormatException("truncated stream: an oversized event was still being skipped at end of input", _skippedFrom);
        }

        if (HasPartialEvent)
        {
            var offset = _consumed + _start;
            var length = _end - _start;
            _start = _end = _scanFrom = 0;
            throw new CotFormatException($"truncated stream: the last event has no </event> ({length} bytes)", offset);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_end + data.Length > _buffer.Length)
        {
            var live = _end - _start;
            if (live + data.Length > _buffer.Length)
            {
                var grown = new byte[Math.Max(_buffer.Length * 2, live + data.Length)];
                _buffer.AsSpan(_start, live).CopyTo(grown);
                _buffer = grown;
            }
            else
            {
                _buffer.AsSpan(_start, live).CopyTo(_buffer);
            }

            _consumed += _start;
            _scanFrom -= _start;
            _end = live;
            _start = 0;
        }

        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    private void Extract()
    {
        while (true)
        {
            var window = _buffer.AsSpan(_scanFrom, _end - _scanFrom);
            var found = window.IndexOf(EndToken);
            if (found < 0)
            {
                // Keep the last few bytes searchable: the token may be split across reads.
                _scanFrom = Math.Max(_start, _end - (EndToken.Length - 1));
                if (_end - _start > _maxEventBytes) DropOversized();
                return;
            }

            var tokenAt = _scanFrom + found;
            var after = tokenAt + EndToken.Length;
            while (after < _end && _buffer[after] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') after++;
            if (after >= _end)
            {
                // "</event" seen but not yet its '>': wait for more bytes.
                _scanFrom = tokenAt;
                if (_end - _start > _maxEventBytes) DropOversized();
                return;
            }

            if (_buffer[after] != (byte)'>')
            {
                // e.g. "</events>": not the end of an event.
                _scanFrom = tokenAt + 1;
                continue;
            }

            var eventEnd = after + 1;
            if (_skipping)
            {
                _skipping = false;
            }
            else if (eventEnd - _start > _maxEventBytes)
            {
                _ready.Enqueue(new Item(default, Oversized(_consumed + _start)));
            }
            else
            {
                var span = _buffer.AsSpan(_start, eventEnd - _start);
                var leading = span.IndexOfAnyExcept(" \t\r\n\0"u8);
                _ready.Enqueue(new Item(span[leading..].ToArray(), null));
            }

            _start = _scanFrom = eventEnd;
        }
    }

    private void DropOversized()
    {
        if (!_skipping)
        {
            _skippedFrom = _consumed + _start;
            _ready.Enqueue(new Item(default, Oversized(_skippedFrom)));
            _skipping = true;
        }

        // Keep only a tail long enough to recognise "</event" split across reads.
        var keep = Math.Min(_end - _start, EndToken.Length + 16);
        _consumed += _end - keep;
        _buffer.AsSpan(_end - keep, keep).CopyTo(_buffer);
        _start = 0;
        _end = keep;
        _scanFrom = 0;
    }

    private CotFormatException Oversized(long offset) =>
        new($"event larger than the limit of {_maxEventBytes} bytes; dropped", offset);

    private readonly record struct Item(ReadOnlyMemory<byte> Event, CotFormatException? Error);
}
