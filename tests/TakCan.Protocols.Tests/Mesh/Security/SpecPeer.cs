using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using MessagePack;
using TakCan.Protocols.Mesh;

namespace TakCan.Protocols.Tests.Mesh.Security;

/// <summary>
/// The neighbour's side of the link handshake written from specs/mesh.md alone (BouncyCastle HKDF, raw
/// HMAC and AES-GCM), to check that LinkHandshake and LinkSession speak the documented wire format.
/// </summary>
internal sealed class SpecPeer
{
    public const byte Hello = 0x11;
    public const byte Auth = 0x12;
    public const byte LinkData = 0x13;

    private readonly byte[] _auth;
    private readonly byte[] _link;

    public SpecPeer(byte[] missionKey, Random random)
    {
        KeyId = BinaryPrimitives.ReadUInt16BigEndian(IndependentHkdf.Sha256(missionKey, "TAKCan mesh v1"u8.ToArray(), "key-id"u8.ToArray(), 2));
        _auth = IndependentHkdf.MeshKey(missionKey, "auth");
        _link = IndependentHkdf.MeshKey(missionKey, "link");
        Nonce = MeshTestKeys.RandomBytes(random, 16);
    }

    public ushort KeyId { get; }

    public byte[] Nonce { get; }

    public static byte[] NonceOf(byte[] hello) => hello[3..19];

    public static byte[] EchoOf(byte[] hello) => hello[19..35];

    public byte[] CreateHello(byte[]? echo)
    {
        var frame = new byte[35];
        frame[0] = Hello;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), KeyId);
        Nonce.CopyTo(frame, 3);
        echo?.CopyTo(frame, 19);
        return frame;
    }

    /// <summary>okm = HKDF(K_link, lo ‖ hi, "takcan/v1/session", 64); key(lo → hi) = okm[0..32].</summary>
    public (byte[] Send, byte[] Receive) SessionKeys(byte[] peerNonce)
    {
        var ownIsLow = Nonce.AsSpan().SequenceCompareTo(peerNonce) < 0;
        byte[] salt = ownIsLow ? [.. Nonce, .. peerNonce] : [.. peerNonce, .. Nonce];
        var okm = IndependentHkdf.Sha256(_link, salt, "takcan/v1/session"u8.ToArray(), 64);
        var (loToHi, hiToLo) = (okm[..32], okm[32..]);
        return ownIsLow ? (loToHi, hiToLo) : (hiToLo, loToHi);
    }

    public byte[] Mac(byte[] senderNonce, byte[] receiverNonce) =>
        HMACSHA256.HashData(_auth, (byte[])[.. "takcan/v1/auth"u8, .. senderNonce, .. receiverNonce]);

    public byte[] CreateAuth(byte[] peerNonce, byte[] info, byte[]? mac = null) =>
        Seal(SessionKeys(peerNonce).Send, Auth, KeyId, 0, [.. mac ?? Mac(Nonce, peerNonce), .. info]);

    /// <summary>A LINK DATA or AUTH frame: type ‖ key id ‖ counter ‖ GCM(nonce 0000 ‖ counter, aad = header) ‖ tag.</summary>
    public static byte[] Seal(byte[] key, byte type, ushort keyId, ulong counter, ReadOnlySpan<byte> plaintext)
    {
        var frame = new byte[11 + plaintext.Length + 16];
        frame[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), keyId);
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(3), counter);
        using var gcm = new AesGcm(key, 16);
        gcm.Encrypt(GcmNonce(counter), plaintext, frame.AsSpan(11, plaintext.Length), frame.AsSpan(frame.Length - 16), frame.AsSpan(0, 11));
        return frame;
    }

    public static byte[]? Open(byte[] key, byte[] frame)
    {
        var counter = BinaryPrimitives.ReadUInt64BigEndian(frame.AsSpan(3));
        var plaintext = new byte[frame.Length - 27];
        using var gcm = new AesGcm(key, 16);
        try
        {
            gcm.Decrypt(GcmNonce(counter), frame.AsSpan(11, plaintext.Length), frame.AsSpan(frame.Length - 16), plaintext, frame.AsSpan(0, 11));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] GcmNonce(ulong counter)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), counter);
        return nonce;
    }

    /// <summary>The hello-info map: node, team, max_ver, plus whatever a test adds.</summary>
    public static byte[] Info(NodeId node, string team, int maxVersion = 1, PackAction? more = null, int extraEntries = 0)
    {
        return Pack((ref MessagePackWriter writer) =>
        {
            writer.WriteMapHeader(3 + extraEntries);
            writer.Write("node");
            writer.Write(node.ToBytes());
            writer.Write("team");
            writer.Write(team);
            writer.Write("max_ver");
            writer.Write(maxVersion);
            more?.Invoke(ref writer);
        });
    }

    public static byte[] Pack(PackAction write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>MessagePackWriter is a buffering struct: it must be written through a reference, not a copy.</summary>
internal delegate void PackAction(ref MessagePackWriter writer);
