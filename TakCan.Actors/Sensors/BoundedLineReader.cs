namespace TakCan.Actors.Sensors;

/// <summary>
/// Reads newline-terminated lines from a stream without trusting the other side to send short ones: a line
/// longer than the limit is dropped whole (and counted) instead of growing a buffer.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineLength)
{
    private readonly byte[] _buffer = new byte[maxLineLength + 1];
    private int _start;
    private int _end;
    private bool _discarding;

    public int DroppedLines { get; private set; }

    /// <summary>The next line without its line ending (CR LF or LF), or null at the end of the stream.</summary>
    /// <remarks>The returned memory is valid until the next call.</remarks>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, newline - _start);
                _start = newline + 1;
                if (_discarding)
                {
                    _discarding = false;
                    continue;
                }

                return line.Span is [.., (byte)'\r'] ? line[..^1] : line;
            }

            if (_start > 0)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                // No newline in a full buffer: the line is too long. Drop what we have and the rest of it.
                if (!_discarding) DroppedLines++;
                _discarding = true;
                _end = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0) return null;
            _end += read;
        }
    }
}
