using System.Net;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Device;
using TakCan.Actors.Multicast;
using TakCan.Actors.Tests.Device;
using TakCan.Actors.Tests.Situation;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using static TakCan.Actors.Multicast.MulticastProtocol;

namespace TakCan.Actors.Tests.Multicast;

/// <summary>
/// Two devices (TestKit probes behind two <see cref="MulticastSaActor"/>s) and a raw UdpClient on multicast groups
/// kept on the loopback interface. Every test picks its own groups and ports (20000–29999), away from ATAK's real
/// 6969/17012 and from tests running in parallel.
/// </summary>
public class MulticastSaActorTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly DateTime T0 = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
    private readonly IPEndPoint _saGroup;
    private readonly IPEndPoint _chatGroup;
    private readonly MulticastTap _tap;

    public MulticastSaActorTests()
    {
        var port = 20_000 + Random.Shared.Next(9_999);
        _saGroup = new IPEndPoint(IPAddress.Parse($"239.77.{Random.Shared.Next(256)}.{1 + Random.Shared.Next(254)}"), port);
        _chatGroup = new IPEndPoint(IPAddress.Parse($"239.78.{Random.Shared.Next(256)}.{1 + Random.Shared.Next(254)}"), port + 1);
        _tap = new MulticastTap(_saGroup, _chatGroup);
    }

    [Fact]
    public void Sa_goes_out_as_xml_while_a_legacy_peer_is_known_and_as_tak_protocol_once_every_peer_announced_v1()
    {
        var a = StartDevice("ANDROID-A");
        var b = StartDevice("ANDROID-B");

        // A node that speaks only XML appears: both devices must fall back to XML (takproto mesh rules 3a and 4).
        _tap.Send(MulticastGroup.Sa, CotXmlWriter.ToUtf8(SampleCot.Sa("LEGACY-C", "Charlie", T0)));
        foreach (var device in new[] { a, b })
        {
            var legacy = device.Probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience);
            Assert.Equal("LEGACY-C", legacy.Event.Uid);
            Assert.Equal(new CotSource(CotSourceKind.Multicast, "multicast"), legacy.Source);
            Assert.Equal(0, Status(device).SendVersion);
        }

        var xmlFromA = Exchange(a, b, SampleCot.Sa("ANDROID-A", "Alpha", T0.AddSeconds(1)));
        var xmlFromB = Exchange(b, a, SampleCot.Sa("ANDROID-B", "Bravo", T0.AddSeconds(1)));
        Assert.Equal((byte)'<', xmlFromA[0]);
        Assert.Equal((byte)'<', xmlFromB[0]);

        // The legacy node upgrades and announces TakControl v1; A and B announced theirs when they fell back.
        _tap.Send(MulticastGroup.Sa, TakMessageCodec.EncodeMesh(TakControlMessages.CreateSupported("LEGACY-C")));
        AwaitAssert(() =>
        {
            foreach (var device in new[] { a, b })
            {
                var status = Status(device);
                Assert.Equal(1, status.SendVersion);
                Assert.All(status.Contacts, c => Assert.True(c.FromControl, $"{c.Uid} announced"));
                Assert.Equal(2, status.Contacts.Count);
            }
        }, Patience);

        var protoFromA = Exchange(a, b, SampleCot.Sa("ANDROID-A", "Alpha", T0.AddSeconds(2)));
        var protoFromB = Exchange(b, a, SampleCot.Sa("ANDROID-B", "Bravo", T0.AddSeconds(2)));
        Assert.Equal(new byte[] { 0xBF, 0x01, 0xBF }, protoFromA[..3]);
        Assert.Equal(new byte[] { 0xBF, 0x01, 0xBF }, protoFromB[..3]);

        // Every announcement went out in the mesh format, never as XML (rule 1), and the version changes were told.
        var controlsFromA = _tap.All.Where(h => h.From.Equals(a.LocalEndPoint) && IsControl(h.Data)).ToArray();
        Assert.True(controlsFromA.Length >= 2, $"A announced {controlsFromA.Length} times");
        Assert.All(controlsFromA, h => Assert.Equal("ANDROID-A", TakMessageCodec.DecodeMesh(h.Data).TakControl.ContactUid));
        a.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        b.Probe.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void GeoChat_goes_to_the_chat_group_and_sa_to_the_sa_group()
    {
        var a = StartDevice("ANDROID-A");
        var b = StartDevice("ANDROID-B");
        var chat = SampleCot.Chat("GeoChat.ANDROID-A.All Chat Rooms.5b1e", "Alpha", T0);
        var sa = SampleCot.Sa("ANDROID-A", "Alpha", T0);

        a.Actor.Tell(new SendMulticast(chat));
        Assert.Equal(chat.Uid, b.Probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience).Event.Uid);
        a.Actor.Tell(new SendMulticast(sa));
        Assert.Equal(sa.Uid, b.Probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience).Event.Uid);

        Assert.Equal(MulticastGroup.Chat, OnWire(a, chat).Group);
        Assert.Equal(MulticastGroup.Sa, OnWire(a, sa).Group);
        var fromA = _tap.All.Where(h => h.From.Equals(a.LocalEndPoint)).ToArray();
        Assert.DoesNotContain(fromA, h => h.Group == MulticastGroup.Sa && Decode(h.Data)?.Uid == chat.Uid);
        Assert.DoesNotContain(fromA, h => h.Group == MulticastGroup.Chat && Decode(h.Data)?.Uid == sa.Uid);
        // TakControl goes to both groups (rule 1: every broadcast destination).
        Assert.Contains(fromA, h => h.Group == MulticastGroup.Chat && IsControl(h.Data));
        Assert.Contains(fromA, h => h.Group == MulticastGroup.Sa && IsControl(h.Data));
    }

    [Fact]
    public void Own_datagrams_are_not_delivered_to_self()
    {
        var a = StartDevice("ANDROID-A");
        var sa = SampleCot.Sa("ANDROID-A", "Alpha", T0);
        var chat = SampleCot.Chat("GeoChat.ANDROID-A.All Chat Rooms.77aa", "Alpha", T0);

        a.Actor.Tell(new SendMulticast(sa));
        a.Actor.Tell(new SendMulticast(chat));
        OnWire(a, sa);
        OnWire(a, chat);
        // Our uid from another address (a relay, a second interface) is ours too.
        _tap.Send(MulticastGroup.Sa, CotXmlWriter.ToUtf8(sa with { Time = T0.AddSeconds(1) }));

        AwaitAssert(() =>
        {
            var counters = Status(a).Counters;
            Assert.Equal(2, counters.Sent);
            // 2 events, 2 start-up announcements (one per group), 1 from the tap; whatever else arrived was ours too.
            Assert.True(counters.Own >= 5, $"own {counters.Own}");
            Assert.Equal(counters.Received, counters.Own);
        }, Patience);
        a.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_garbage_datagram_is_counted_and_the_next_good_one_delivered()
    {
        var a = StartDevice("ANDROID-A");
        byte[][] garbage =
        [
            [],
            [0x00, 0x13, 0x37, 0xFF],
            [0xBF],
            [0xBF, 0x01, 0xBF],
            [0xBF, 0x01, 0xBF, 0xFF, 0xFF, 0xFF, 0xFF],
            [0xBF, 0x01, 0x00, 0x0A, 0x00],
            [0xBF, 0x01, 0xBF, 0x12, 0x00], // a TakMessage with an empty CotEvent: no uid, no type
            "<event version='2.0' uid='x' type='a-f-G'"u8.ToArray(),
            "<?xml version='1.0'?><!DOCTYPE event [<!ENTITY x 'y'>]><event/>"u8.ToArray(),
            [0xFF, 0xFE, 0x3C, 0x00, 0x00, 0xD8],
            Encoding.UTF8.GetBytes(new string('<', 60_000)),
        ];
        foreach (var datagram in garbage) _tap.Send(MulticastGroup.Sa, datagram);
        _tap.Send(MulticastGroup.Sa, [0xBF, 0x02, 0xBF, 0x0A, 0x00]); // a future version: dropped as such
        _tap.Send(MulticastGroup.Chat, [0xBF, 0x00, 0xBF, 0x0A, 0x00]); // "version 0" in a header is no version we read

        _tap.Send(MulticastGroup.Sa, CotXmlWriter.ToUtf8(SampleCot.Sa("LEGACY-C", "Charlie", T0)));

        Assert.Equal("LEGACY-C", a.Probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience).Event.Uid);
        AwaitAssert(() =>
        {
            var counters = Status(a).Counters;
            Assert.Equal(garbage.Length, counters.Bad);
            Assert.Equal(2, counters.UnsupportedVersion);
            Assert.Equal(1, counters.Delivered);
        }, Patience);
        a.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task After_a_restart_the_sockets_are_open_again_and_each_datagram_arrives_once()
    {
        var probe = CreateTestProbe();
        var parent = Sys.ActorOf(RestartingParent.Props(MulticastSaActor.Props(Settings("ANDROID-A"), probe.Ref), "multicast"));
        var actor = await parent.Ask<IActorRef>(RestartingParent.GetChild.Instance, Patience);
        AwaitAssert(() => Assert.True(Status(actor).Open), Patience);
        _tap.Send(MulticastGroup.Sa, CotXmlWriter.ToUtf8(SampleCot.Sa("LEGACY-C", "Charlie", T0)));
        probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience);

        actor.Tell(Kill.Instance);
        AwaitAssert(() =>
        {
            var status = Status(actor);
            Assert.True(status.Open);
            Assert.Equal(0, status.Counters.Delivered); // a new incarnation
        }, Patience);

        _tap.Send(MulticastGroup.Sa, CotXmlWriter.ToUtf8(SampleCot.Sa("LEGACY-C", "Charlie", T0.AddSeconds(1))));
        Assert.Equal(T0.AddSeconds(1), probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience).Event.Time);
        // The old incarnation's sockets were closed: nothing heard twice.
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_interface_that_does_not_exist_leaves_the_actor_running_and_trying_again()
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(MulticastSaActor.Props(
            Settings("ANDROID-A") with { Interface = IPAddress.Parse("192.0.2.1"), ReopenInterval = TimeSpan.FromMilliseconds(100) },
            probe.Ref));

        actor.Tell(new SendMulticast(SampleCot.Sa("ANDROID-A", "Alpha", T0)));

        var status = Status(actor);
        Assert.False(status.Open);
        Assert.NotNull(status.LastError);
        Assert.Equal(1, status.Counters.SendFailed);
        Watch(actor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // several reopen attempts, no Terminated
        Assert.False(Status(actor).Open);
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_up_front()
    {
        var device = CreateTestProbe().Ref;
        Assert.Throws<ArgumentException>(() => MulticastSaActor.Props(Settings(""), device));
        Assert.Throws<ArgumentException>(() => MulticastSaActor.Props(Settings("A") with { SaGroup = new IPEndPoint(IPAddress.Loopback, 6969) }, device));
        Assert.Throws<ArgumentException>(() => MulticastSaActor.Props(Settings("A") with { ChatGroup = new IPEndPoint(IPAddress.Parse("ff02::1"), 17012) }, device));
        Assert.Throws<ArgumentException>(() => MulticastSaActor.Props(Settings("A") with { Ttl = 256 }, device));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _tap.Dispose();
        base.Dispose(disposing);
    }

    /// <summary><paramref name="from"/> sends <paramref name="evt"/>; <paramref name="to"/> receives it; returns the datagram as it was on the wire.</summary>
    private byte[] Exchange(TestDevice from, TestDevice to, CotEvent evt)
    {
        from.Actor.Tell(new SendMulticast(evt));
        var received = to.Probe.ExpectMsg<DeviceProtocol.CotReceived>(Patience);
        Assert.Equal(evt, received.Event);
        var heard = OnWire(from, evt);
        Assert.Equal(MulticastGroup.Sa, heard.Group);
        return heard.Data;
    }

    /// <summary>The datagram carrying <paramref name="evt"/> (same uid and time) that <paramref name="from"/> sent.</summary>
    private MulticastTap.Heard OnWire(TestDevice from, CotEvent evt)
    {
        MulticastTap.Heard? found = null;
        AwaitAssert(() =>
        {
            found = _tap.All.FirstOrDefault(h =>
                h.From.Equals(from.LocalEndPoint) && Decode(h.Data) is { } e && e.Uid == evt.Uid && e.Time == evt.Time);
            Assert.NotNull(found);
        }, Patience);
        return found!;
    }

    private static CotEvent? Decode(byte[] datagram)
    {
        try
        {
            if (datagram.Length == 0) return null;
            if (!TakProtocolFraming.LooksLikeTakProtocol(datagram)) return CotXmlReader.Read(datagram);
            var message = TakMessageCodec.DecodeMesh(datagram);
            return message.CotEvent is null ? null : TakMessageConverter.ToCotEvent(message);
        }
        catch (CotFormatException)
        {
            return null;
        }
    }

    private static bool IsControl(byte[] datagram)
    {
        try
        {
            return TakProtocolFraming.LooksLikeTakProtocol(datagram) && TakMessageCodec.DecodeMesh(datagram).IsControlOnly();
        }
        catch (CotFormatException)
        {
            return false;
        }
    }

    private MulticastSettings Settings(string uid) => new(uid)
    {
        SaGroup = _saGroup,
        ChatGroup = _chatGroup,
        Interface = IPAddress.Loopback,
    };

    private TestDevice StartDevice(string uid)
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(MulticastSaActor.Props(Settings(uid), probe.Ref));
        MulticastStatus? status = null;
        AwaitAssert(() =>
        {
            status = Status(actor);
            Assert.True(status.Open, status.LastError);
        }, Patience);
        return new TestDevice(actor, probe, status!.LocalEndPoint!);
    }

    private MulticastStatus Status(IActorRef actor) => actor.Ask<MulticastStatus>(GetMulticastStatus.Instance, Patience).GetAwaiter().GetResult();

    private MulticastStatus Status(TestDevice device) => Status(device.Actor);

    private sealed record TestDevice(IActorRef Actor, TestProbe Probe, IPEndPoint LocalEndPoint);
}
