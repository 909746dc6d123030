using System.Security.Cryptography;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Stages;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Tests.Mesh.Stages;

public class GroupSecurityTests : TestKit
{
    private readonly MeshKeyRing _keys = new(new MeshKeySet(RandomNumberGenerator.GetBytes(32)));
    private readonly MeshCounters _countersA = new();
    private readonly MeshCounters _countersB = new();
    private readonly Wire _wire = new();

    [Fact]
    public void Two_nodes_of_one_team_read_each_other()
    {
        var ends = FaceToFace.Run(this, GroupSecurity.Create(_keys, "Cyan", _countersA), _wire, GroupSecurity.Create(_keys, "cyan", _countersB));

        ends.AIn.SendNext("from a"u8.ToArray());
        ends.BIn.SendNext("from b"u8.ToArray());

        Assert.Equal("from a"u8.ToArray(), ends.BOut.RequestNext());
        Assert.Equal("from b"u8.ToArray(), ends.AOut.RequestNext());
        Assert.All(_wire.SentByA, frame => Assert.Equal(SealedFrame.GroupData, frame[0]));
        Assert.True(_wire.SentByA.Single().AsSpan().IndexOf("from a"u8) < 0, "the envelope crosses encrypted");
        Assert.Equal(1, _countersB.Snapshot().FramesReceived);
    }

    [Fact]
    public void A_node_of_another_team_can_neither_read_nor_inject()
    {
        var ends = FaceToFace.Run(this, GroupSecurity.Create(_keys, "Cyan", _countersA), _wire, GroupSecurity.Create(_keys, "Red", _countersB));
        ends.AOut.Request(1);
        ends.BOut.Request(1);

        ends.AIn.SendNext("cyan only"u8.ToArray());
        ends.BIn.SendNext("red injects"u8.ToArray());

        AwaitAssert(() =>
        {
            Assert.Equal(1, _countersB.Drops(MeshDropReason.Auth));
            Assert.Equal(1, _countersA.Drops(MeshDropReason.Auth));
        }, TimeSpan.FromSeconds(10));
        ends.AOut.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        ends.BOut.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_frame_heard_again_is_a_replay()
    {
        var ends = FaceToFace.Run(this, GroupSecurity.Create(_keys, "Cyan", _countersA), _wire, GroupSecurity.Create(_keys, "Cyan", _countersB));
        ends.AIn.SendNext([1]);
        Assert.Equal([1], ends.BOut.RequestNext());

        _wire.InjectTowardsB(_wire.SentByA.Single());
        ends.AIn.SendNext([2]);

        Assert.Equal([2], ends.BOut.RequestNext());
        ends.BOut.Request(1); // a stage reads on only while its device takes what it delivers
        AwaitAssert(() => Assert.Equal(1, _countersB.Drops(MeshDropReason.Replay)), TimeSpan.FromSeconds(10));
    }
}
