using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class TakProtocolNegotiationTests
{
    private static readonly DateTime Now = GeoChatBuilderTests.Utc("2024-05-01T12:10:00.123Z");

    // takproto README, streaming step 3, and what TAK Server 4.8 actually sends (with TakServerVersionInfo).
    private const string ReadmeOffer =
        "<event version='2.0' uid='protouid' type='t-x-takp-v' time='2024-05-01T12:10:00Z' start='2024-05-01T12:10:00Z' stale='2024-05-01T12:11:00Z' how='m-g'>" +
        "<point lat='0.0' lon='0.0' hae='0.0' ce='999999' le='999999'/>" +
        "<detail><TakControl><TakProtocolSupport version=\"1\"/></TakControl></detail></event>";

    private const string TakServerOffer =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<event version=\"2.0\" uid=\"8f6f6794-466d-4404-9b60-557511f9dab1\" type=\"t-x-takp-v\" time=\"2023-08-22T01:33:14Z\" start=\"2023-08-22T01:33:14Z\" stale=\"2023-08-22T01:34:14Z\" how=\"m-g\">" +
        "<point lat=\"0.0\" lon=\"0.0\" hae=\"0.0\" ce=\"999999\" le=\"999999\"/>" +
        "<detail><TakControl><TakProtocolSupport version=\"1\"/><TakServerVersionInfo serverVersion=\"4.8-RELEASE-45-HEAD\" apiVersion=\"3\"/></TakControl></detail></event>";

    [Theory]
    [InlineData(ReadmeOffer)]
    [InlineData(TakServerOffer)]
    public void Reads_the_versions_a_server_offers(string xml)
    {
        var offer = CotXmlReader.Read(xml);

        Assert.True(TakProtocolNegotiation.IsNegotiation(offer));
        Assert.True(TakProtocolNegotiation.TryReadOffer(offer, out var versions));
        Assert.Equal([1], versions);
    }

    [Fact]
    public void An_offer_may_name_several_versions_and_unusable_ones_are_left_out()
    {
        var offer = CotXmlReader.Read(ReadmeOffer.Replace(
            "<TakProtocolSupport version=\"1\"/>",
            "<TakProtocolSupport version=\"2\"/><TakProtocolSupport version=\"x\"/><TakProtocolSupport version=\"0\"/><TakProtocolSupport version=\"1\"/>",
            StringComparison.Ordinal));

        Assert.True(TakProtocolNegotiation.TryReadOffer(offer, out var versions));
        Assert.Equal([2, 1], versions);
    }

    [Fact]
    public void Request_reuses_the_offer_uid_and_has_the_readme_shape()
    {
        var request = TakProtocolNegotiation.Request("8f6f6794-466d-4404-9b60-557511f9dab1", 1, Now);
        var xml = CotXmlWriter.ToXml(request);

        Assert.Equal("8f6f6794-466d-4404-9b60-557511f9dab1", request.Uid);
        Assert.Equal("t-x-takp-q", request.Type);
        Assert.Equal("m-g", request.How);
        Assert.Equal(Now, request.Time);
        Assert.Equal(Now + TimeSpan.FromSeconds(60), request.Stale);
        Assert.Contains("<detail><TakControl><TakRequest version='1'/></TakControl></detail>", xml, StringComparison.Ordinal);
        Assert.True(TakProtocolNegotiation.TryReadRequest(CotXmlReader.Read(xml), out var version));
        Assert.Equal(1, version);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Response_round_trips_through_xml(bool accepted)
    {
        var response = TakProtocolNegotiation.Response("protouid", accepted, Now);
        var read = CotXmlReader.Read(CotXmlWriter.ToUtf8(response));

        Assert.Equal(response, read);
        Assert.Equal("t-x-takp-r", read.Type);
        Assert.True(TakProtocolNegotiation.TryReadResponse(read, out var status));
        Assert.Equal(accepted, status);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    public void Response_status_is_read_as_java_parses_booleans(string status, bool accepted)
    {
        var response = Event("t-x-takp-r", $"<TakControl><TakResponse status='{status}'/></TakControl>");

        Assert.True(TakProtocolNegotiation.TryReadResponse(response, out var read));
        Assert.Equal(accepted, read);
    }

    [Fact]
    public void A_response_without_status_is_not_a_response()
    {
        Assert.False(TakProtocolNegotiation.TryReadResponse(Event("t-x-takp-r", "<TakControl><TakResponse/></TakControl>"), out _));
        Assert.False(TakProtocolNegotiation.TryReadResponse(Event("t-x-takp-r", "<remarks/>"), out _));
    }

    [Fact]
    public void Only_one_request_is_allowed()
    {
        var two = Event("t-x-takp-q", "<TakControl><TakRequest version='1'/><TakRequest version='1'/></TakControl>");

        Assert.False(TakProtocolNegotiation.TryReadRequest(two, out _));
    }

    [Fact]
    public void Readers_refuse_other_types()
    {
        var offer = CotXmlReader.Read(ReadmeOffer);

        Assert.False(TakProtocolNegotiation.TryReadRequest(offer, out _));
        Assert.False(TakProtocolNegotiation.TryReadResponse(offer, out _));
        Assert.False(TakProtocolNegotiation.TryReadOffer(offer with { Type = "a-f-G-U-C" }, out _));
        Assert.False(TakProtocolNegotiation.IsNegotiation(offer with { Type = "a-f-G-U-C" }));
    }

    [Fact]
    public void Built_offer_is_read_back()
    {
        var offer = CotXmlReader.Read(CotXmlWriter.ToUtf8(TakProtocolNegotiation.Offer("protouid", Now, 1, 2)));

        Assert.True(TakProtocolNegotiation.TryReadOffer(offer, out var versions));
        Assert.Equal([1, 2], versions);
        Assert.Throws<ArgumentException>(() => TakProtocolNegotiation.Offer("protouid", Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => TakProtocolNegotiation.Request("protouid", 0, Now));
    }

    private static CotEvent Event(string type, string detail) => CotXmlReader.Read(
        $"<event version='2.0' uid='protouid' type='{type}' time='2024-05-01T12:10:00Z' start='2024-05-01T12:10:00Z' stale='2024-05-01T12:11:00Z' how='m-g'>" +
        $"<point lat='0.0' lon='0.0' hae='0.0' ce='999999' le='999999'/><detail>{detail}</detail></event>");
}
