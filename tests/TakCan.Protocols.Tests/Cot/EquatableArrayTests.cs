using TakCan.Protocols.Cot;

namespace TakCan.Protocols.Tests.Cot;

public class EquatableArrayTests
{
    [Fact]
    public void A_collection_expression_keeps_its_items()
    {
        EquatableArray<string> uids = ["ANDROID-1", "All Chat Rooms"];

        Assert.Equal(2, uids.Count);
        Assert.Equal("All Chat Rooms", uids[1]);
    }

    [Fact]
    public void Arrays_with_the_same_items_are_equal_and_hash_alike()
    {
        EquatableArray<int> a = [1, 2, 3];
        EquatableArray<int> b = [1, 2, 3];

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, [1, 2]);
    }

    [Fact]
    public void Default_behaves_as_empty()
    {
        EquatableArray<int> none = default;

        Assert.Empty(none);
        Assert.Equal(EquatableArray<int>.Empty, none);
    }
}
