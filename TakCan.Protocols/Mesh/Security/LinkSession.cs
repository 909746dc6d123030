using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// The keys of one authenticated link: AES-256-GCM with a key per direction, a 64-bit send counter as nonce
/// (never repeats under one key) and a replay window on receive. Counter 0 is the handshake's AUTH frame;
/// data starts at 1.
/// </summary>
public sealed class LinkSession : IDisposable
{
    private readonly AesGcm _send;
    private readonly AesGcm _receive;
    private readonly ReplayWindow _window = new();
    private ulong _sendCounter;

    public LinkSession(ushort keyId, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        KeyId = keyId;
        _send = new AesGcm(sendKey, SealedFrame.TagSize);
        _receive = new AesGcm(receiveKey, SealedFrame.TagSize);
    }

    public ushort KeyId { get; }

    /// <summary>Frame overhead of <see cref="Seal"/>: header plus tag.</summary>
    public const int Overhead = SealedFrame.LinkHeaderSize + SealedFrame.TagSize;

    /// <summary>Seals an envelope as a LINK DATA frame.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        if (_sendCounter == ulong.MaxValue) throw new InvalidOperationException("link send counter exhausted; rekey the link");
        return Seal(SealedFrame.LinkData, ++_sendCounter, plaintext);
    }

    internal byte[] SealAuth(ReadOnlySpan<byte> plaintext) => Seal(SealedFrame.Auth, 0, plaintext);

    private byte[] Seal(byte type, ulong counter, ReadOnlySpan<byte> plaintext)
    {
        var frame = new byte[SealedFrame.LinkHeaderSize + plaintext.Length + SealedFrame.TagSize];
        frame[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(3), counter);
        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
        var header = frame.AsSpan(0, SealedFrame.LinkHeaderSize);
        _send.Encrypt(nonce, plaintext, frame.AsSpan(SealedFrame.LinkHeaderSize, plaintext.Length), frame.AsSpan(frame.Length - SealedFrame.TagSize), header);
        return frame;
    }

    /// <summary>Opens a LINK DATA frame; a forged, damaged, replayed or foreign frame gives false and the reason.</summary>
    public bool TryOpen(ReadOnlySpan<byte> frame, out byte[] plaintext, out MeshDropReason reason)
    {
        if (frame.Length < Overhead || frame[0] != SealedFrame.LinkData)
            return Fail(MeshDropReason.Auth, out plaintext, out reason);
        var counter = BinaryPrimitives.ReadUInt64BigEndian(frame[3..]);
        // Counter 0 is only ever the AUTH's (specs/mesh.md): as LINK DATA it is malformed, not a replay.
        if (counter == 0) return Fail(MeshDropReason.Auth, out plaintext, out reason);
        if (!_window.IsFresh(counter)) return Fail(MeshDropReason.Replay, out plaintext, out reason);
        if (!TryDecrypt(frame, counter, out plaintext)) return Fail(MeshDropReason.Auth, out plaintext, out reason);
        _window.Mark(counter);
        reason = default;
        return true;
    }

    internal bool TryOpenAuth(ReadOnlySpan<byte> frame, out byte[] plaintext) =>
        frame.Length >= Overhead && frame[0] == SealedFrame.Auth && BinaryPrimitives.ReadUInt64BigEndian(frame[3..]) == 0 &&
        TryDecrypt(frame, 0, out plaintext)
            ? true
            : Fail(MeshDropReason.HandshakeAuth, out plaintext, out _);

    private bool TryDecrypt(ReadOnlySpan<byte> frame, ulong counter, out byte[] plaintext)
    {
        if (SealedFrame.KeyIdOf(frame) != KeyId)
        {
            plaintext = [];
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
        var cipherLength = frame.Length - Overhead;
        plaintext = new byte[cipherLength];
        try
        {
            _receive.Decrypt(nonce, frame.Slice(SealedFrame.LinkHeaderSize, cipherLength), frame[^SealedFrame.TagSize..], plaintext,
                frame[..SealedFrame.LinkHeaderSize]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext = [];
            return false;
        }
    }

    private static bool Fail(MeshDropReason why, out byte[] plaintext, out MeshDropReason reason)
    {
        plaintext = [];
        reason = why;
        return false;
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }
}
