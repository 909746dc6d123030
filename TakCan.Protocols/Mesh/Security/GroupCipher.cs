using System.Buffers.Binary;
using System.Security.Cryptography;

namespace TakCan.Protocols.Mesh.Security;

/// <summary>
/// Seals and opens GROUP DATA frames on broadcast media, where one transmission is heard by every neighbour:
/// AES-256-GCM under K_group with a random 96-bit nonce, and inside the encryption a random per-start sender
/// id and a counter, so each sender gets its own replay window without any identifier on the air.
/// </summary>
public sealed class GroupCipher : IDisposable
{
    public const int MaxSenders = 1024;

    /// <summary>header, sender id, counter, tag.</summary>
    public const int Overhead = SealedFrame.GroupHeaderSize + 8 + 8 + SealedFrame.TagSize;

    private readonly MeshKeyRing _keys;
    private readonly string? _team;
    private readonly Dictionary<ushort, AesGcm> _ciphers = new();
    private readonly Dictionary<ulong, LinkedListNode<(ulong Sender, ReplayWindow Window)>> _windows = new();
    private readonly LinkedList<(ulong Sender, ReplayWindow Window)> _recent = new();
    private readonly ulong _sender = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8));
    private ulong _counter;

    /// <param name="team">This node's team when the team filter is on; null for the mission-wide key.</param>
    public GroupCipher(MeshKeyRing keys, string? team)
    {
        _keys = keys;
        _team = team;
    }

    public byte[] Seal(ReadOnlySpan<byte> envelope)
    {
        var keys = _keys.Current;
        var frame = new byte[Overhead + envelope.Length];
        frame[0] = SealedFrame.GroupData;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), keys.KeyId);
        var nonce = frame.AsSpan(3, 12);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> plaintext = envelope.Length + 16 <= 2048 ? stackalloc byte[envelope.Length + 16] : new byte[envelope.Length + 16];
        BinaryPrimitives.WriteUInt64BigEndian(plaintext, _sender);
        BinaryPrimitives.WriteUInt64BigEndian(plaintext[8..], ++_counter);
        envelope.CopyTo(plaintext[16..]);
        Cipher(keys).Encrypt(nonce, plaintext, frame.AsSpan(SealedFrame.GroupHeaderSize, plaintext.Length),
            frame.AsSpan(frame.Length - SealedFrame.TagSize), frame.AsSpan(0, SealedFrame.GroupHeaderSize));
        return frame;
    }

    public bool TryOpen(ReadOnlySpan<byte> frame, out byte[] envelope, out MeshDropReason reason)
    {
        envelope = [];
        reason = MeshDropReason.Auth;
        if (frame.Length < Overhead || frame[0] != SealedFrame.GroupData) return false;
        var keys = _keys.Find(SealedFrame.KeyIdOf(frame));
        if (keys is null) return false;
        var cipherLength = frame.Length - SealedFrame.GroupHeaderSize - SealedFrame.TagSize;
        var plaintext = new byte[cipherLength];
        try
        {
            Cipher(keys).Decrypt(frame.Slice(3, 12), frame.Slice(SealedFrame.GroupHeaderSize, cipherLength), frame[^SealedFrame.TagSize..],
                plaintext, frame[..SealedFrame.GroupHeaderSize]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        var sender = BinaryPrimitives.ReadUInt64BigEndian(plaintext);
        var counter = BinaryPrimitives.ReadUInt64BigEndian(plaintext.AsSpan(8));
        if (sender == _sender || !WindowOf(sender).Mark(counter))
        {
            // Our own frame heard back, or a replay.
            reason = MeshDropReason.Replay;
            return false;
        }

        envelope = plaintext[16..];
        return true;
    }

    private ReplayWindow WindowOf(ulong sender)
    {
        if (_windows.TryGetValue(sender, out var node))
        {
            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Window;
        }

        if (_windows.Count >= MaxSenders)
        {
            var oldest = _recent.Last!;
            _recent.RemoveLast();
            _windows.Remove(oldest.Value.Sender);
        }

        var added = _recent.AddFirst((sender, new ReplayWindow()));
        _windows[sender] = added;
        return added.Value.Window;
    }

    private AesGcm Cipher(MeshKeySet keys)
    {
        if (!_ciphers.TryGetValue(keys.KeyId, out var cipher))
        {
            cipher = new AesGcm(keys.GroupKey(_team), SealedFrame.TagSize);
            _ciphers[keys.KeyId] = cipher;
        }

        return cipher;
    }

    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values) cipher.Dispose();
    }
}
