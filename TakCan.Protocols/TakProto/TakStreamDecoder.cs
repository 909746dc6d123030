using CotFormatException = TakCan.Protocols.Cot.CotFormatException;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// Splits a TAK Protocol streaming connection (<c>0xBF &lt;varint length&gt; &lt;TakMessage&gt;</c>, back
/// to back) into TakMessage payloads, whatever way the bytes arrive: one byte per read, or many
/// messages in one read.
/// </summary>
/// <remarks>
/// <para>
/// Memory is bounded by <see cref="MaxMessageBytes"/>: the body buffer is allocated only once the
/// length varint is complete and checked, so a header that claims 2 GB fails before any allocation.
/// Each delivered payload is a fresh array that the caller owns and may keep.
/// </para>
/// <para>
/// Any violation throws <see cref="CotFormatException"/> with the offset in the stream. The framing
/// has no resynchronisation point, so the decoder then stays failed: every later call throws a
/// <see cref="CotFormatException"/> that wraps the first error. Not thread-safe; one per connection.
/// </para>
/// <para>
/// A zero-length message is valid framing and is delivered as an empty payload; whether an empty
/// TakMessage means anything is for the consumer to decide.
/// </para>
/// </remarks>
public sealed class TakStreamDecoder
{
    /// <summary>Default limit for one TakMessage: 1 MiB, generous for one CoT event yet cheap to hold per connection.</summary>
    public const int DefaultMaxMessageBytes = 1 << 20;

    private enum Expecting
    {
        Magic,
        Length,
        Body,
    }

    private Expecting _expecting = Expecting.Magic;
    private long _position;           // stream offset of the next byte to be fed
    private long _messageStart;       // stream offset of the current message's 0xBF
    private long _length;             // length varint accumulated so far
    private int _lengthBytes;         // length varint bytes read so far
    private byte[] _body = [];
    private int _filled;
    private long _messagesDecoded;
    private CotFormatException? _failure;

    /// <param name="maxMessageBytes">
    /// Largest TakMessage accepted, in bytes, excluding its header; default
    /// <see cref="DefaultMaxMessageBytes"/> (1 MiB). A larger declared length fails the stream before
    /// anything is allocated. The decoder never holds more than this plus a few fields of state.
    /// </param>
    public TakStreamDecoder(int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        MaxMessageBytes = maxMessageBytes;
    }

    /// <summary>Largest TakMessage accepted, in bytes, excluding its header.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>Bytes consumed so far; the stream offset that error messages refer to.</summary>
    public long Position => _position;

    /// <summary>Complete messages delivered so far.</summary>
    public long MessagesDecoded => _messagesDecoded;

    /// <summary>True when a header or body has started but the message is not complete yet.</summary>
    public bool HasPartialMessage => _expecting != Expecting.Magic;

    /// <summary>
    /// Consumes <paramref name="chunk"/> and returns the payloads it completed, in stream order
    /// (an empty list when none did).
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Feed(ReadOnlySpan<byte> chunk)
    {
        List<ReadOnlyMemory<byte>>? completed = null;
        Feed(chunk, payload => (completed ??= []).Add(payload));
        return completed is null ? [] : completed;
    }

    /// <summary>
    /// Consumes <paramref name="chunk"/>, calling <paramref name="onMessage"/> for each payload it
    /// completes, in stream order. Returns how many messages were completed.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> chunk, Action<ReadOnlyMemory<byte>> onMessage)
    {
        ArgumentNullException.ThrowIfNull(onMessage);
        ThrowIfFailed();

        int count = 0;
        int i = 0;
        try
        {
            while (i < chunk.Length)
            {
                switch (_expecting)
                {
                    case Expecting.Magic:
                        if (chunk[i] != TakProtocolFraming.Magic)
                            throw Fail($"expected 0xBF at the start of message {_messagesDecoded + 1}, found {TakProtocolFraming.Describe(chunk[i])}",
                                _position + i);
                        _messageStart = _position + i;
                        _length = 0;
                        _lengthBytes = 0;
                        _expecting = Expecting.Length;
                        i++;
                        break;

                    case Expecting.Length:
                        byte b = chunk[i];
                        _length = TakProtocolFraming.AccumulateVarint(_length, b, _lengthBytes);
                        _lengthBytes++;
                        if (_length > int.MaxValue)
                            throw Fail($"length varint of message {_messagesDecoded + 1} exceeds {int.MaxValue}", _messageStart + 1);
                        i++;
                        if ((b & 0x80) != 0)
                        {
                            // Fail on the 10th byte rather than waiting for an 11th that may never come.
                            if (_lengthBytes == TakProtocolFraming.MaxVarintBytes)
                                throw Fail($"length varint of message {_messagesDecoded + 1} is longer than {TakProtocolFraming.MaxVarintBytes} bytes",
                                    _messageStart + 1);
                            break;
                        }
                        if (_length > MaxMessageBytes)
                            throw Fail($"message {_messagesDecoded + 1} declares {_length} bytes, above the maximum of {MaxMessageBytes}",
                                _messageStart + 1);
                        if (_length == 0)
                        {
                            count++;
                            Deliver(ReadOnlyMemory<byte>.Empty, onMessage);
                            break;
                        }
                        _body = new byte[(int)_length];
                        _filled = 0;
                        _expecting = Expecting.Body;
                        break;

                    case Expecting.Body:
                        int take = Math.Min(_body.Length - _filled, chunk.Length - i);
                        chunk.Slice(i, take).CopyTo(_body.AsSpan(_filled));
                        _filled += take;
                        i += take;
                        if (_filled == _body.Length)
                        {
                            var payload = _body;
                            _body = [];
                            count++;
                            Deliver(payload, onMessage);
                        }
                        break;
                }
            }
        }
        finally
        {
            // Only what was consumed: if onMessage throws, Position marks the end of the message it
            // was given and the caller can feed the rest of the chunk again.
            _position += i;
        }
        return count;
    }

    /// <summary>
    /// Declares the end of input. Throws <see cref="CotFormatException"/> if the stream stopped inside
    /// a message, saying how much of which message arrived.
    /// </summary>
    public void Complete()
    {
        ThrowIfFailed();
        switch (_expecting)
        {
            case Expecting.Length:
                throw Fail($"truncated stream: message {_messagesDecoded + 1} ends inside its header after {1 + _lengthBytes} byte(s)",
                    _position);
            case Expecting.Body:
                throw Fail($"truncated stream: {_filled} of {_body.Length} bytes of message {_messagesDecoded + 1}", _position);
        }
    }

    private void Deliver(ReadOnlyMemory<byte> payload, Action<ReadOnlyMemory<byte>> onMessage)
    {
        // State is reset before the callback so an exception thrown by the consumer leaves the
        // decoder at a clean message boundary.
        _expecting = Expecting.Magic;
        _messagesDecoded++;
        onMessage(payload);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new CotFormatException($"TAK protocol stream already failed: {_failure.Message}", _failure.Offset, _failure);
    }

    private CotFormatException Fail(string message, long offset)
    {
        _body = [];
        _failure = new CotFormatException(message, offset);
        return _failure;
    }
}
