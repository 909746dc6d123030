using System.Buffers.Binary;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

public class MeshKeySetTests
{
    private static readonly byte[] MissionKey = MeshTestKeys.MissionKey(1);

    [Fact]
    public void The_key_id_is_stable_for_a_key()
    {
        var first = new MeshKeySet(MissionKey);
        var second = new MeshKeySet(MeshTestKeys.MissionKey(1));

        Assert.Equal(first.KeyId, second.KeyId);
        Assert.Equal(first.Auth, second.Auth);
        Assert.Equal(first.Link, second.Link);
        Assert.Equal(first.Group, second.Group);
        Assert.Equal(first.Beacon, second.Beacon);
    }

    [Fact]
    public void The_key_id_is_the_first_two_bytes_of_HKDF_with_info_key_id()
    {
        var expected = IndependentHkdf.Sha256(MissionKey, "TAKCan mesh v1"u8.ToArray(), "key-id"u8.ToArray(), 2);

        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(expected), new MeshKeySet(MissionKey).KeyId);
    }

    [Fact]
    public void Different_mission_keys_give_different_ids_and_keys()
    {
        var sets = Enumerable.Range(1, 8).Select(MeshTestKeys.KeySet).ToArray();

        Assert.Equal(sets.Length, sets.Select(s => s.KeyId).Distinct().Count());
        Assert.Equal(sets.Length, sets.Select(s => Convert.ToHexString(s.Auth)).Distinct().Count());
    }

    [Theory]
    [InlineData("auth", 32)]
    [InlineData("link", 32)]
    [InlineData("group", 32)]
    [InlineData("beacon", 32)]
    [InlineData("group:cyan", 32)]
    [InlineData("auth", 16)]
    [InlineData("something-else", 64)]
    public void Derive_matches_an_independent_HKDF(string purpose, int length)
    {
        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, purpose, length), MeshKeySet.Derive(MissionKey, purpose, length));
    }

    [Fact]
    public void An_empty_purpose_is_refused_rather_than_giving_a_shared_key() =>
        Assert.Throws<ArgumentException>(() => MeshKeySet.Derive(MissionKey, "", 32));

    [Fact]
    public void Each_purpose_key_is_Derive_of_its_name()
    {
        var keys = new MeshKeySet(MissionKey);

        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, "auth"), keys.Auth);
        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, "link"), keys.Link);
        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, "group"), keys.Group);
        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, "beacon"), keys.Beacon);
    }

    [Fact]
    public void Different_purposes_give_different_keys()
    {
        var keys = new MeshKeySet(MissionKey);
        byte[][] all = [keys.Auth, keys.Link, keys.Group, keys.Beacon, keys.GroupKey("Cyan"), keys.GroupKey("Red")];

        Assert.All(all, key => Assert.Equal(MeshKeySet.KeySize, key.Length));
        Assert.Equal(all.Length, all.Select(Convert.ToHexString).Distinct().Count());
        Assert.DoesNotContain(all, key => key.AsSpan().SequenceEqual(MissionKey));
    }

    [Fact]
    public void A_team_group_key_is_Derive_of_group_and_the_lowercase_team()
    {
        var keys = new MeshKeySet(MissionKey);

        Assert.Equal(IndependentHkdf.MeshKey(MissionKey, "group:cyan"), keys.GroupKey("Cyan"));
        Assert.Equal(keys.GroupKey("Cyan"), keys.GroupKey("CYAN"));
        Assert.Equal(keys.Group, keys.GroupKey(null));
        Assert.NotEqual(keys.GroupKey("Cyan"), keys.GroupKey("Dark Blue"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void A_mission_key_must_be_32_bytes(int length)
    {
        Assert.Throws<ArgumentException>(() => new MeshKeySet(new byte[length]));
    }

    [Fact]
    public void A_ring_finds_current_and_previous_and_nothing_else()
    {
        var current = MeshTestKeys.KeySet(1);
        var previous = MeshTestKeys.KeySet(2);
        var ring = new MeshKeyRing(current, previous);

        Assert.Same(current, ring.Current);
        Assert.Same(current, ring.Find(current.KeyId));
        Assert.Same(previous, ring.Find(previous.KeyId));
        Assert.Null(ring.Find(MeshTestKeys.KeySet(3).KeyId));
        Assert.Null(new MeshKeyRing(current).Find(previous.KeyId));
    }
}
