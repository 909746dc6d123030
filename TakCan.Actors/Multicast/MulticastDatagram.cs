using TakCan.Protocols.Cot;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Multicast;

/// <summary>What a multicast datagram is, before it is decoded (takproto/README.md: one message per datagram).</summary>
internal static class MulticastDatagram
{
    /// <summary>Largest UDP payload over IPv4.</summary>
    public const int MaxBytes = 65_507;

    /// <summary>
    /// Version 0: CoT XML starts with '&lt;', a UTF-8 or UTF-16 byte order mark, or (leniently) whitespace. None of
    /// these is 0xBF, the TAK protocol magic byte.
    /// </summary>
    public static bool LooksLikeXml(ReadOnlySpan<byte> datagram) =>
        !datagram.IsEmpty && datagram[0] switch
        {
            (byte)'<' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' => true,
            0xEF => datagram.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]),
            0xFF => datagram.Length >= 2 && datagram[1] == 0xFE,
            0xFE => datagram.Length >= 2 && datagram[1] == 0xFF,
            _ => false,
        };

    /// <summary>
    /// Reads the version varint after the first 0xBF without validating the rest of the header, so a datagram from a
    /// newer protocol version can be counted as such rather than as garbage. False when the varint is cut short.
    /// </summary>
    public static bool TryPeekMeshVersion(ReadOnlySpan<byte> datagram, out ulong version)
    {
        version = 0;
        if (!TakProtocolFraming.LooksLikeTakProtocol(datagram)) return false;
        for (var i = 0; i < TakProtocolFraming.MaxVarintBytes && 1 + i < datagram.Length; i++)
        {
            var b = datagram[1 + i];
            if (i < 9) version |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return true;
        }

        return false;
    }

    /// <summary>GeoChat messages and their delivered/read receipts travel on the chat group.</summary>
    public static bool IsGeoChat(CotEvent evt) =>
        evt.Type == "b-t-f" || evt.Type.StartsWith("b-t-f-", StringComparison.Ordinal);

    /// <summary>ATAK SA and other <c>a-</c> events: the messages that make a contact known (takproto rule 3a).</summary>
    public static bool IsContactReport(CotEvent evt) => evt.Type.StartsWith("a-", StringComparison.Ordinal);
}
