using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh;

/// <summary>Mission keys from a seed, so a failing test fails the same way every run.</summary>
internal static class MeshTestKeys
{
    public static byte[] MissionKey(int seed)
    {
        var key = new byte[MeshKeySet.KeySize];
        new Random(seed).NextBytes(key);
        return key;
    }

    public static MeshKeySet KeySet(int seed) => new(MissionKey(seed));

    public static MeshKeyRing Ring(int current, int? previous = null) =>
        new(KeySet(current), previous is { } p ? KeySet(p) : null);

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}
