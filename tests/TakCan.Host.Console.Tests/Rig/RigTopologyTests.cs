using TakCan.Host.Console.Rig;

namespace TakCan.Host.Console.Tests.Rig;

public sealed class RigTopologyTests
{
    [Fact]
    public void A_line_links_each_node_to_the_one_before_and_after()
    {
        var line = RigTopology.Create(RigTopologyKind.Line, 4);

        Assert.Equal([1], line.Neighbours(0));
        Assert.Equal([0, 2], line.Neighbours(1));
        Assert.Equal([2], line.Neighbours(3));
        Assert.Equal([(0, 1), (1, 2), (2, 3)], line.Links);
        Assert.Equal(3, line.Distance(0, 3));
        Assert.Equal(3, line.Diameter);
    }

    [Fact]
    public void A_ring_closes_the_line_so_the_far_side_is_half_way_round()
    {
        var ring = RigTopology.Create(RigTopologyKind.Ring, 5);

        Assert.Equal([1, 4], ring.Neighbours(0));
        Assert.Equal([0, 3], ring.Neighbours(4));
        Assert.Equal(5, ring.Links.Count());
        Assert.Equal(1, ring.Distance(0, 4));
        Assert.Equal(2, ring.Distance(0, 3));
        Assert.Equal(2, ring.Diameter);
    }

    [Fact]
    public void A_grid_links_the_four_neighbours_and_its_distance_is_the_manhattan_distance()
    {
        var grid = RigTopology.Create(RigTopologyKind.Grid, 9);

        // 0 1 2
        // 3 4 5
        // 6 7 8
        Assert.Equal(3, grid.Columns);
        Assert.Equal([1, 3], grid.Neighbours(0));
        Assert.Equal([1, 3, 5, 7], grid.Neighbours(4));
        Assert.Equal([5, 7], grid.Neighbours(8));
        Assert.Equal(12, grid.Links.Count());
        for (var a = 0; a < 9; a++)
        for (var b = 0; b < 9; b++)
            Assert.Equal(Math.Abs(a / 3 - b / 3) + Math.Abs(a % 3 - b % 3), grid.Distance(a, b));
        Assert.Equal(4, grid.Diameter);
    }

    [Fact]
    public void A_grid_with_a_short_last_row_links_it_upwards_only()
    {
        var grid = RigTopology.Create(RigTopologyKind.Grid, 7);

        // 0 1 2
        // 3 4 5
        // 6
        Assert.Equal(3, grid.Rows);
        Assert.Equal([3], grid.Neighbours(6));
        Assert.Equal([2, 4], grid.Neighbours(5));
        Assert.Equal(4, grid.Distance(6, 2));
        Assert.Equal((2, 0), grid.Place(6));
    }

    [Theory]
    [InlineData(RigTopologyKind.Line, 1)]
    [InlineData(RigTopologyKind.Ring, 2)]
    [InlineData(RigTopologyKind.Grid, RigTopology.MaxNodes + 1)]
    public void Sizes_that_make_no_rig_are_refused(RigTopologyKind kind, int nodes) =>
        Assert.Throws<RigException>(() => RigTopology.Create(kind, nodes));

    [Fact]
    public void Every_link_is_symmetric()
    {
        foreach (var kind in Enum.GetValues<RigTopologyKind>())
        {
            var topology = RigTopology.Create(kind, 10);
            for (var a = 0; a < 10; a++)
            foreach (var b in topology.Neighbours(a))
                Assert.Contains(a, topology.Neighbours(b));
        }
    }
}
