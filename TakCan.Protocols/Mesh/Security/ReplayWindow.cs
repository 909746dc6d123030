namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// Sliding anti-replay window over frame counters (the scheme of RFC 4303 §3.4.3 with a larger window):
/// the highest counter seen plus a bitmap of the <see cref="Size"/> counters below it. A counter is marked only
/// after its frame authenticated, so forged frames cannot move the window.
/// </summary>
public sealed class ReplayWindow
{
    public const int Size = 1024;
    private readonly ulong[] _bits = new ulong[Size / 64];
    private ulong _highest;
    private bool _any;

    public bool IsFresh(ulong counter)
    {
        if (!_any || counter > _highest) return true;
        if (_highest - counter >= Size) return false;
        var bit = (int)(counter % Size);
        return (_bits[bit >> 6] & (1UL << (bit & 63))) == 0;
    }

    /// <summary>Marks a counter whose frame authenticated; returns false if it was already seen or too old.</summary>
    public bool Mark(ulong counter)
    {
        if (!IsFresh(counter)) return false;
        if (!_any || counter > _highest)
        {
            var advance = _any ? counter - _highest : ulong.MaxValue;
            if (advance >= Size)
            {
                Array.Clear(_bits);
            }
            else
            {
                for (var c = _highest + 1; c < counter; c++)
                {
                    var clear = (int)(c % Size);
                    _bits[clear >> 6] &= ~(1UL << (clear & 63));
                }
            }

            _highest = counter;
            _any = true;
        }

        var bit = (int)(counter % Size);
        _bits[bit >> 6] |= 1UL << (bit & 63);
        return true;
    }
}
