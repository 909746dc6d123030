using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TakCan.Protocols.Bridge;

/// <summary>
/// A TAK Server as every bridge linked to it names it (specs/bridge.md, "Realms"): the first 8 bytes of SHA-256 over
/// the sorted SHA-256 fingerprints of the CA certificates the server is trusted by (TLS), or over
/// <c>"tcp://host:port"</c> in lower case (plain TCP). Bridges that enrolled with one server hold its CA, whatever
/// they call the server.
/// </summary>
public readonly record struct BridgeRealm(ulong Value)
{
    public const int Size = 8;

    public static BridgeRealm Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt64BigEndian(bytes));

    public static BridgeRealm ForAuthorities(IEnumerable<X509Certificate2> authorities)
    {
        var fingerprints = authorities.Select(static c => Convert.ToHexString(SHA256.HashData(c.RawData))).Distinct().Order(StringComparer.Ordinal);
        return Of("ca:" + string.Join(",", fingerprints));
    }

    public static BridgeRealm ForPlainTcp(string host, int port) => Of($"tcp://{host.ToLowerInvariant()}:{port}");

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, Value);
        return bytes;
    }

    public override string ToString() => Value.ToString("x16");

    private static BridgeRealm Of(string text) => Read(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
