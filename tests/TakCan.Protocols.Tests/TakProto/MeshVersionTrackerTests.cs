using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>
/// The mesh negotiation rules of ATAK-CIV takproto/README.md ("Mesh Network Protocol Negotiation"), driven by a clock
/// the test moves by hand.
/// </summary>
public class MeshVersionTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly MeshVersionTracker _tracker = new();
    private DateTimeOffset _now = Start;

    [Fact]
    public void With_no_contact_known_sends_at_its_own_highest_version()
    {
        Assert.Equal(1, _tracker.SendVersion(_now));
        Assert.Equal(new MeshVersionTracker.Decision(1, false, true, 1), _tracker.Evaluate(_now));
    }

    [Fact]
    public void A_new_contact_heard_in_xml_makes_it_send_xml()
    {
        _tracker.MessageReceived("LEGACY-1", 0, _now);

        Assert.Equal(0, _tracker.SendVersion(_now));
        var contact = Assert.Single(_tracker.Contacts(_now));
        Assert.Equal(new MeshVersionTracker.ContactVersions("LEGACY-1", 0, 0, false, _now), contact);
    }

    [Fact]
    public void A_new_contact_heard_in_tak_protocol_keeps_version_1()
    {
        _tracker.MessageReceived("ANDROID-1", 1, _now);

        Assert.Equal(1, _tracker.SendVersion(_now));
    }

    [Fact]
    public void Sends_version_1_once_every_contact_announced_it()
    {
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        _tracker.MessageReceived("ANDROID-2", 0, _now);

        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
        Assert.Equal(0, _tracker.SendVersion(_now));

        _tracker.ControlReceived("ANDROID-2", 1, 1, _now);
        Assert.Equal(1, _tracker.SendVersion(_now));
        Assert.All(_tracker.Contacts(_now), c => Assert.True(c.FromControl));
    }

    [Fact]
    public void One_legacy_contact_keeps_everyone_on_xml()
    {
        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
        _tracker.ControlReceived("ANDROID-2", 1, 3, _now);
        _tracker.MessageReceived("LEGACY-1", 0, _now);

        Assert.Equal(0, _tracker.SendVersion(_now));
    }

    [Theory]
    [InlineData(0u, 0u, 1)]
    [InlineData(0u, 1u, 1)]
    [InlineData(1u, 0u, 1)]
    [InlineData(1u, 5u, 1)]
    [InlineData(2u, 3u, 0)] // no overlap with what we decode
    [InlineData(3u, 2u, 0)] // an inverted range supports nothing
    public void Zero_in_a_tak_control_reads_as_1(uint min, uint max, int expected)
    {
        _tracker.MessageReceived("PEER", 0, _now);
        _tracker.ControlReceived("PEER", min, max, _now);

        Assert.Equal(expected, _tracker.SendVersion(_now));
    }

    [Fact]
    public void A_contact_silent_for_2_minutes_falls_back_to_the_version_of_its_last_message()
    {
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
        Assert.Equal(1, _tracker.SendVersion(_now));

        // It keeps sending SA (in XML, as it also sees an XML-only node elsewhere) but no more TakControl.
        _now += TimeSpan.FromSeconds(30);
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        _now = Start + TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1);
        Assert.Equal(1, _tracker.SendVersion(_now));

        _now = Start + TimeSpan.FromMinutes(2);
        Assert.Equal(0, _tracker.SendVersion(_now));
        Assert.False(Assert.Single(_tracker.Contacts(_now)).FromControl);
    }

    [Fact]
    public void The_fallback_is_the_version_of_the_last_message_not_the_first()
    {
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
        _now += TimeSpan.FromSeconds(10);
        _tracker.MessageReceived("ANDROID-1", 1, _now);

        _now += TimeSpan.FromMinutes(3);

        Assert.Equal(1, _tracker.SendVersion(_now));
        Assert.Equal(1, Assert.Single(_tracker.Contacts(_now)).MaxVersion);
    }

    [Fact]
    public void Announcements_every_60_seconds_keep_the_contact_at_its_announced_range()
    {
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        for (var i = 0; i < 10; i++)
        {
            _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
            _now += TimeSpan.FromSeconds(60);
            Assert.Equal(1, _tracker.SendVersion(_now));
        }
    }

    [Fact]
    public void A_contact_known_only_from_tak_control_falls_back_to_1()
    {
        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);

        _now += TimeSpan.FromMinutes(5);

        Assert.Equal(new MeshVersionTracker.ContactVersions("ANDROID-1", 1, 1, false, Start), Assert.Single(_tracker.Contacts(_now)));
    }

    [Fact]
    public void A_contact_not_heard_from_for_the_forget_time_no_longer_counts()
    {
        var tracker = new MeshVersionTracker(forgetAfter: TimeSpan.FromMinutes(10));
        tracker.MessageReceived("LEGACY-1", 0, _now);
        Assert.Equal(0, tracker.Evaluate(_now).SendVersion);

        _now += TimeSpan.FromMinutes(10);

        var decision = tracker.Evaluate(_now);
        Assert.Equal(1, decision.SendVersion);
        Assert.True(decision.VersionChanged);
        Assert.Equal(0, tracker.Count);
    }

    [Fact]
    public void Tells_a_version_change_once_so_a_tak_control_goes_out_immediately()
    {
        _tracker.Announced(_now);
        Assert.False(_tracker.Evaluate(_now).AnnounceNow);

        _now += TimeSpan.FromSeconds(5);
        _tracker.MessageReceived("LEGACY-1", 0, _now);
        var down = _tracker.Evaluate(_now);
        Assert.Equal(new MeshVersionTracker.Decision(0, true, false, 1), down);
        Assert.True(down.AnnounceNow);
        _tracker.Announced(_now);

        Assert.False(_tracker.Evaluate(_now).VersionChanged);

        _now += TimeSpan.FromSeconds(5);
        _tracker.ControlReceived("LEGACY-1", 1, 1, _now);
        var up = _tracker.Evaluate(_now);
        Assert.Equal(new MeshVersionTracker.Decision(1, true, false, 1), up);
        Assert.False(_tracker.Evaluate(_now).VersionChanged);
    }

    [Fact]
    public void Announcements_are_due_at_start_and_then_every_60_seconds()
    {
        Assert.True(_tracker.Evaluate(_now).AnnouncementDue);
        _tracker.Announced(_now);

        _now += TimeSpan.FromSeconds(59);
        Assert.False(_tracker.Evaluate(_now).AnnouncementDue);

        _now += TimeSpan.FromSeconds(1);
        Assert.True(_tracker.Evaluate(_now).AnnouncementDue);
        Assert.True(_tracker.Evaluate(_now).AnnouncementDue); // until announced
        _tracker.Announced(_now);
        Assert.False(_tracker.Evaluate(_now).AnnouncementDue);

        _now += TimeSpan.FromSeconds(60);
        Assert.True(_tracker.Evaluate(_now).AnnouncementDue);
    }

    [Fact]
    public void A_version_change_caused_by_time_alone_is_told_too()
    {
        _tracker.MessageReceived("ANDROID-1", 0, _now);
        _tracker.ControlReceived("ANDROID-1", 1, 1, _now);
        Assert.Equal(1, _tracker.Evaluate(_now).SendVersion);

        _now += TimeSpan.FromMinutes(2);

        var decision = _tracker.Evaluate(_now);
        Assert.Equal(0, decision.SendVersion);
        Assert.True(decision.VersionChanged);
        Assert.Equal(1, decision.AnnounceVersion); // rule 1: TakControl never goes out as XML
    }

    [Fact]
    public void Refuses_new_contacts_beyond_its_limit_but_keeps_updating_known_ones()
    {
        var tracker = new MeshVersionTracker(maxContacts: 2);
        Assert.True(tracker.MessageReceived("A", 1, _now));
        Assert.True(tracker.MessageReceived("B", 1, _now));

        Assert.False(tracker.MessageReceived("C", 0, _now));
        Assert.False(tracker.ControlReceived("D", 1, 1, _now));
        Assert.True(tracker.MessageReceived("A", 0, _now));

        Assert.Equal(2, tracker.Count);
        Assert.Equal(0, tracker.SendVersion(_now));
    }

    [Fact]
    public void Makes_room_from_forgotten_contacts_before_refusing()
    {
        var tracker = new MeshVersionTracker(forgetAfter: TimeSpan.FromMinutes(1), maxContacts: 1);
        tracker.MessageReceived("A", 0, _now);

        _now += TimeSpan.FromMinutes(1);

        Assert.True(tracker.MessageReceived("B", 1, _now));
        Assert.Equal("B", Assert.Single(tracker.Contacts(_now)).Uid);
    }
}
