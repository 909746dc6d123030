using Google.Protobuf;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class ServerPingBuilderTests
{
    private static readonly DateTime Now = GeoChatBuilderTests.Utc("2024-05-01T12:10:00.041Z");

    [Fact]
    public void Pong_is_the_tak_server_capture()
    {
        var capture = CotXmlReader.Read(CotSamples.Bytes("pong.xml"));

        Assert.Equal(capture, ServerPingBuilder.Pong(Now));
        Assert.True(ServerPingBuilder.IsPong(capture));
        Assert.False(ServerPingBuilder.IsPing(capture));
    }

    [Fact]
    public void Ping_carries_the_device_uid_as_atak_commoncommo_writes_it()
    {
        var ping = ServerPingBuilder.Ping("ANDROID-8f3b2c1d9e0a4b67", Now);

        // commoncommo cotmessage.cpp: type t-x-c-t, how m-g, stale 10 s, uid <device uid>-ping, point nowhere.
        Assert.Equal("ANDROID-8f3b2c1d9e0a4b67-ping", ping.Uid);
        Assert.Equal("t-x-c-t", ping.Type);
        Assert.Equal("m-g", ping.How);
        Assert.Equal(Now, ping.Time);
        Assert.Equal(Now + TimeSpan.FromSeconds(10), ping.Stale);
        Assert.Equal(new CotPoint(0, 0, 0), ping.Point);
        Assert.True(ServerPingBuilder.IsPing(ping));
        Assert.True(ServerPingBuilder.IsPing(CotXmlReader.Read(CotSamples.Bytes("ping.xml"))));
    }

    [Fact]
    public void Ping_and_pong_survive_tak_protocol()
    {
        foreach (var evt in new[] { ServerPingBuilder.Ping("ANDROID-1", Now), ServerPingBuilder.Pong(Now) })
            Assert.Equal(evt, TakMessageConverter.Decode(TakMessageConverter.ToTakMessage(evt).ToByteArray()));
    }
}
