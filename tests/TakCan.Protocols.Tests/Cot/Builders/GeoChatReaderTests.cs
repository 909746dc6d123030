using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class GeoChatReaderTests
{
    private const string Viking = "ANDROID-8f3b2c1d9e0a4b67";
    private const string Hammer = "S-1-5-21-2720623347-3037847324-4167270909-1002";

    [Fact]
    public void Reads_an_atak_room_message()
    {
        Assert.True(GeoChatReader.TryRead(CotXmlReader.Read(CotSamples.Bytes("geochat-all-rooms.xml")), out var message));

        Assert.Equal("5c2a7e1f-3b4d-4a6e-9f10-2b3c4d5e6f70", message.MessageId);
        Assert.Equal("All Chat Rooms", message.RoomId);
        Assert.Equal("All Chat Rooms", message.RoomName);
        Assert.Equal(Viking, message.SenderUid);
        Assert.Equal("VIKING", message.SenderCallsign);
        Assert.Equal("Rally at CP 2 & hold, ETA <10 min", message.Text);
        Assert.Equal(GeoChatBuilderTests.Utc("2024-05-01T12:01:00.120Z"), message.Time);
        Assert.Equal(new[] { Viking, "All Chat Rooms" }, message.Participants);
    }

    [Fact]
    public void Reads_an_atak_direct_message()
    {
        Assert.True(GeoChatReader.TryRead(CotXmlReader.Read(CotSamples.Bytes("geochat-direct.xml")), out var message));

        Assert.Equal("0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e", message.MessageId);
        Assert.Equal(Hammer, message.RoomId);
        Assert.Equal("HAMMER", message.RoomName);
        Assert.Equal(Viking, message.SenderUid);
        Assert.Equal("Copy. Moving to your position, 5 mikes.", message.Text);
    }

    [Fact]
    public void Reads_what_the_builder_wrote_after_tak_protocol()
    {
        var evt = GeoChatBuilder.Build(Viking, "VIKING", "a-f-G-U-C", "Cyan", "Cyan", "on me", "m-7",
            GeoChatBuilderTests.Utc("2024-05-01T12:00:00.5Z"), new CotPoint(1, 2));

        Assert.True(GeoChatReader.TryRead(TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(evt)), out var message));
        Assert.Equal(new GeoChatMessage("m-7", "Cyan", "Cyan", Viking, "VIKING", "on me", evt.Time, new[] { Viking, "Cyan" }), message);
    }

    [Fact]
    public void A_sparse_client_is_read_from_uid_link_and_remarks()
    {
        // Some non-ATAK senders leave out __chat: the ids come from the uid, the link and the remarks.
        var evt = new CotEvent
        {
            Uid = $"GeoChat.{Hammer}.All Chat Rooms.abc-123",
            Type = "b-t-f",
            Time = GeoChatBuilderTests.Utc("2024-05-01T12:00:00Z"),
            Start = GeoChatBuilderTests.Utc("2024-05-01T12:00:00Z"),
            Stale = GeoChatBuilderTests.Utc("2024-05-02T12:00:00Z"),
            Detail = new CotDetail(
            [
                new Link { Uid = Hammer, Type = "a-f-G-U-C", Relation = "p-p" },
                new Remarks { Source = "BAO.F.ATAK." + Hammer, To = "All Chat Rooms", Content = "moving" },
            ]),
        };

        Assert.True(GeoChatReader.TryRead(evt, out var message));
        Assert.Equal("abc-123", message.MessageId);
        Assert.Equal("All Chat Rooms", message.RoomId);
        Assert.Equal(Hammer, message.SenderUid);
        Assert.Equal(Hammer, message.SenderCallsign);
        Assert.Equal("moving", message.Text);
    }

    [Fact]
    public void Not_a_chat_or_without_a_sender_is_refused()
    {
        Assert.False(GeoChatReader.TryRead(CotXmlReader.Read(CotSamples.Bytes("atak-sa.xml")), out _));

        var bare = new CotEvent
        {
            Uid = "x",
            Type = "b-t-f",
            Time = DateTime.UnixEpoch,
            Start = DateTime.UnixEpoch,
            Stale = DateTime.UnixEpoch,
            Detail = new CotDetail([new Remarks { Content = "who am I" }]),
        };
        Assert.False(GeoChatReader.TryRead(bare, out _));
    }
}
