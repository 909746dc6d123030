using System.Text;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.MartiApi;

namespace TakCan.Protocols.Tests.MartiApi;

public sealed class MissionCotReaderTests
{
    private const string Header = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>";

    // As CotElement.toCotXml writes each event: single quotes, no declaration, detail as stored.
    private static string Event(string uid, string callsign = "ALPHA", string detail = "") =>
        $"<event version='2.0' uid='{uid}' type='a-f-G-U-C' time='2025-11-27T10:00:00.000Z' start='2025-11-27T10:00:00.000Z' " +
        "stale='2025-11-27T10:05:00.000Z' how='m-g'><point lat='45.4' lon='-75.7' hae='70.0' ce='9999999.0' le='9999999.0' />" +
        $"<detail><contact callsign='{callsign}'/>{detail}</detail></event>";

    // As MissionServiceDefaultImpl.getCachedCotImpl joins them.
    private static string Events(params string[] events) => Header + "<events>" + string.Concat(events.Select(e => e + "\n")) + "</events>";

    private static MissionCot Read(string xml, MartiLimits? limits = null) => MissionCotReader.Read(Encoding.UTF8.GetBytes(xml), limits);

    [Fact]
    public void Reads_every_event_of_tak_servers_mission_cot_in_order()
    {
        var cot = Read(Events(Event("uid-a", "ALPHA"), Event("uid-b", "BRAVO", "<_flow-tags_ TAK-Server-1='2025-11-27T10:00:00Z'/>"), Event("uid-c", "CHARLIE")));

        Assert.Equal(["uid-a", "uid-b", "uid-c"], cot.Events.Select(e => e.Uid));
        Assert.Equal("BRAVO", cot.Events[1].Detail.Contact!.Callsign);
        Assert.Equal((0, 0), (cot.BadEvents, cot.Problems.Count));
    }

    [Theory]
    [InlineData(Header + "<events></events>")]
    [InlineData(Header + "<events/>")]
    [InlineData("<events>\n</events>\n")]
    [InlineData("\uFEFF<!-- none --><events />")]
    public void A_mission_without_cot_is_empty(string xml)
    {
        Assert.Equal(MissionCot.Empty, Read(xml));
    }

    [Fact]
    public void A_broken_event_is_counted_and_skipped_and_the_others_are_read()
    {
        // TAK Server does not escape the uid it concatenates: this one ends the attribute early.
        var cot = Read(Events(Event("uid-a"), Event("O'Brien"), Event("uid-c"), "<event version='2.0' uid='x'><point/></event>", Event("uid-e")));

        Assert.Equal(["uid-a", "uid-c", "uid-e"], cot.Events.Select(e => e.Uid));
        Assert.Equal(2, cot.BadEvents);
        Assert.StartsWith("event 2: ", cot.Problems[0]);
        Assert.StartsWith("event 4: ", cot.Problems[1]);
    }

    [Fact]
    public void Garbage_between_or_after_events_is_counted_not_fatal()
    {
        var cot = Read(Header + "<events>" + Event("uid-a") + "garbage" + Event("uid-b") + "\n<event uid='cut'></events>");

        Assert.Equal(["uid-a"], cot.Events.Select(e => e.Uid));
        Assert.Equal(2, cot.BadEvents);
    }

    [Fact]
    public void An_oversized_event_is_dropped_and_counted()
    {
        var big = Event("uid-big", detail: "<remarks>" + new string('x', 5000) + "</remarks>");
        var limits = MartiLimits.Default with { Cot = CotXmlLimits.Default with { MaxEventBytes = 2048 } };

        var cot = Read(Events(Event("uid-a"), big, Event("uid-c")), limits);

        Assert.Equal(["uid-a", "uid-c"], cot.Events.Select(e => e.Uid));
        Assert.Equal(1, cot.BadEvents);
    }

    [Fact]
    public void Only_the_first_problems_are_kept()
    {
        var cot = Read(Events(Enumerable.Range(0, 20).Select(i => Event($"bad'{i}")).ToArray()));

        Assert.Equal(20, cot.BadEvents);
        Assert.Equal(MissionCotReader.MaxProblems, cot.Problems.Count);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("{\"data\":[]}", "not an <events> document")]
    [InlineData("<event version='2.0'/>", "not an <events> document")]
    [InlineData("<eventsX></eventsX>", "not an <events> document")]
    [InlineData(Header + "<events>", "does not end with </events>")]
    [InlineData(Header + "<events><event uid='a'>", "does not end with </events>")]
    [InlineData(Header + "<events/><more/>", "content after its empty <events/>")]
    [InlineData(Header + "<events", "does not end with </events>")]
    [InlineData("<?xml version='1.0'", "unterminated processing instruction")]
    [InlineData("<!-- never closed <events></events>", "unterminated comment")]
    [InlineData("<!DOCTYPE events [<!ENTITY a 'aaaa'>]><events>&a;</events>", "DTD")]
    public void Refuses_what_is_not_mission_cot(string xml, string message)
    {
        Assert.Contains(message, Assert.Throws<MartiException>(() => Read(xml)).Message);
    }

    [Fact]
    public void Refuses_utf16_and_answers_over_the_limits()
    {
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<events></events>")).ToArray();
        Assert.Contains("not UTF-8", Assert.Throws<MartiException>(() => MissionCotReader.Read(utf16)).Message);
        Assert.Contains("not UTF-8", Assert.Throws<MartiException>(() => MissionCotReader.Read(Encoding.Unicode.GetBytes("<events></events>"))).Message);

        var xml = Events(Event("a"), Event("b"), Event("c"));
        Assert.Contains("more than the 100 TAK Can reads", Assert.Throws<MartiException>(() => Read(xml, MartiLimits.Default with { MaxCotBytes = 100 })).Message);
        Assert.Contains("more than the 2 events", Assert.Throws<MartiException>(() => Read(xml, MartiLimits.Default with { MaxCotEvents = 2 })).Message);
        var bad = Events("x</event>", "y</event>", "z</event>");
        Assert.Contains("more than the 2 events", Assert.Throws<MartiException>(() => Read(bad, MartiLimits.Default with { MaxCotEvents = 2 })).Message);
    }

    [Fact]
    public void An_entity_declared_inside_an_event_is_refused_with_that_event_only()
    {
        var hostile = "<!DOCTYPE event [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>" + Event("uid-x", "&x;");

        var cot = Read(Events(Event("uid-a"), hostile));

        Assert.Equal(["uid-a"], cot.Events.Select(e => e.Uid));
        Assert.Equal(1, cot.BadEvents);
    }

    [Fact]
    public void Invalid_utf8_inside_one_event_costs_only_that_event()
    {
        var before = Encoding.UTF8.GetBytes(Header + "<events>" + Event("uid-a") + "\n");
        var broken = Encoding.UTF8.GetBytes(Event("uid-b", "BR#VO")).Select(b => b == (byte)'#' ? (byte)0xC3 : b).ToArray();
        var after = Encoding.UTF8.GetBytes("\n" + Event("uid-c") + "\n</events>");

        var cot = MissionCotReader.Read(before.Concat(broken).Concat(after).ToArray());

        Assert.Equal(["uid-a", "uid-c"], cot.Events.Select(e => e.Uid));
        Assert.Equal(1, cot.BadEvents);
    }
}
