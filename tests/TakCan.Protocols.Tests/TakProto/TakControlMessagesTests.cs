using TakCan.Protocols.TakProto;
using TakCan.Protocols.TakProto.Wire;

namespace TakCan.Protocols.Tests.TakProto;

public class TakControlMessagesTests
{
    [Fact]
    public void Builds_a_message_holding_only_tak_control()
    {
        var message = TakControlMessages.Create(1, 3, "ANDROID-58f3a9c1b2d4e607");

        Assert.Null(message.CotEvent);
        Assert.True(message.IsControlOnly());
        Assert.Equal(1u, message.TakControl.MinProtoVersion);
        Assert.Equal(3u, message.TakControl.MaxProtoVersion);
        Assert.Equal("ANDROID-58f3a9c1b2d4e607", message.TakControl.ContactUid);
    }

    [Fact]
    public void Announces_the_supported_version_and_survives_a_mesh_round_trip()
    {
        var message = TakControlMessages.CreateSupported("ANDROID-1");

        var received = TakMessageCodec.DecodeMesh(TakMessageCodec.EncodeMesh(message));

        Assert.Equal(1u, received.TakControl.EffectiveMinVersion());
        Assert.Equal(1u, received.TakControl.EffectiveMaxVersion());
        Assert.Equal("ANDROID-1", received.TakControl.ContactUid);
    }

    [Theory]
    [InlineData(0u, 0u, 1u, 1u)]
    [InlineData(0u, 2u, 1u, 2u)]
    [InlineData(2u, 5u, 2u, 5u)]
    public void Absent_versions_read_as_one(uint min, uint max, uint effectiveMin, uint effectiveMax)
    {
        var control = new TakControl { MinProtoVersion = min, MaxProtoVersion = max };

        Assert.Equal(effectiveMin, control.EffectiveMinVersion());
        Assert.Equal(effectiveMax, control.EffectiveMaxVersion());
    }

    [Fact]
    public void Empty_tak_control_on_the_wire_means_version_one()
    {
        // takControl present but empty: field 1, length 0.
        var message = TakMessageCodec.Parse([0x0A, 0x00]);

        Assert.True(message.IsControlOnly());
        Assert.True(message.TakControl.Supports(1));
        Assert.False(message.TakControl.Supports(2));
    }

    [Fact]
    public void A_message_with_an_event_is_not_control_only()
    {
        var message = TakProtoSamples.SelfSa();
        message.TakControl = new TakControl();

        Assert.False(message.IsControlOnly());
        Assert.False(TakProtoSamples.SelfSa().IsControlOnly());
    }

    [Theory]
    [InlineData(0u, 1u)]
    [InlineData(2u, 1u)]
    public void Refuses_an_impossible_range(uint min, uint max)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TakControlMessages.Create(min, max, "uid"));
    }
}
