using System.Buffers.Binary;
using System.Security.Cryptography;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Mesh.Discovery;

/// <summary>
/// The anonymous discovery beacon (specs/mesh.md, "Discovery"): <c>0x15 ‖ nonce(8) ‖ port(2) ‖ mac(8)</c>.
/// Fresh random nonce each time, no identity and no key id; only holders of the mission key can check it.
/// </summary>
public static class MeshBeacon
{
    public const int Size = 1 + 8 + 2 + 8;

    public static byte[] Create(MeshKeySet keys, ushort port)
    {
        var beacon = new byte[Size];
        beacon[0] = SealedFrame.Beacon;
        RandomNumberGenerator.Fill(beacon.AsSpan(1, 8));
        BinaryPrimitives.WriteUInt16BigEndian(beacon.AsSpan(9), port);
        Mac(keys, beacon.AsSpan(0, 11)).AsSpan(0, 8).CopyTo(beacon.AsSpan(11));
        return beacon;
    }

    /// <summary>Checks a beacon against the current and previous mission keys; gives the port to send a HELLO to.</summary>
    public static bool TryVerify(ReadOnlySpan<byte> datagram, MeshKeyRing keys, out ushort port)
    {
        port = 0;
        if (datagram.Length != Size || datagram[0] != SealedFrame.Beacon) return false;
        foreach (var candidate in keys.Accepted)
        {
            if (!CryptographicOperations.FixedTimeEquals(Mac(candidate, datagram[..11]).AsSpan(0, 8), datagram.Slice(11, 8))) continue;
            port = BinaryPrimitives.ReadUInt16BigEndian(datagram[9..]);
            return true;
        }

        return false;
    }

    private static byte[] Mac(MeshKeySet keys, ReadOnlySpan<byte> body) => HMACSHA256.HashData(keys.Beacon, body);
}
