using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.TakProto;

public class TakMessageConverterTests
{
    private const string AtakSelfSa = """
        <?xml version='1.0' encoding='UTF-8' standalone='yes'?>
        <event version='2.0' uid='ANDROID-589520ccfcd20f01' type='a-f-G-U-C' time='2024-05-01T12:00:00.123Z' start='2024-05-01T12:00:00.123Z' stale='2024-05-01T12:06:00.123Z' how='h-e'>
          <point lat='45.4215' lon='-75.6972' hae='72.3' ce='9.9' le='9999999.0'/>
          <detail>
            <takv os='34' version='4.10.0.3 (d5b1e4b8).1705932452-CIV' device='SAMSUNG SM-G998U' platform='ATAK-CIV'/>
            <contact endpoint='*:-1:stcp' callsign='ALPHA-1'/>
            <uid Droid='ALPHA-1'/>
            <precisionlocation altsrc='GPS' geopointsrc='GPS'/>
            <__group role='Team Member' name='Cyan'/>
            <status battery='87'/>
            <track course='142.5' speed='1.2'/>
          </detail>
        </event>
        """;

    [Fact]
    public void Self_sa_moves_every_well_known_element_into_its_typed_field()
    {
        var evt = CotXmlReader.Read(AtakSelfSa);
        var message = TakMessageConverter.ToTakMessage(evt);
        var detail = message.CotEvent.Detail;

        Assert.Equal("ALPHA-1", detail.Contact.Callsign);
        Assert.Equal("*:-1:stcp", detail.Contact.Endpoint);
        Assert.Equal("Cyan", detail.Group.Name);
        Assert.Equal("Team Member", detail.Group.Role);
        Assert.Equal(87u, detail.Status.Battery);
        Assert.Equal(142.5, detail.Track.Course);
        Assert.Equal("ATAK-CIV", detail.Takv.Platform);
        Assert.Equal("GPS", detail.PrecisionLocation.Altsrc);
        Assert.Equal("<uid Droid='ALPHA-1'/>", detail.XmlDetail);
        Assert.Equal(1714564800123ul, message.CotEvent.SendTime);
    }

    [Fact]
    public void Xml_to_proto_to_xml_keeps_every_field()
    {
        var evt = CotXmlReader.Read(AtakSelfSa);
        var back = TakMessageConverter.Decode(TakMessageCodec.Parse(TakMessageConverter.ToTakMessage(evt).ToByteArrayFast()).ToByteArrayFast());

        AssertSameEvent(evt, back);
    }

    [Fact]
    public void An_element_that_does_not_convert_completely_stays_in_xml_detail()
    {
        var evt = CotXmlReader.Read(AtakSelfSa.Replace("<contact endpoint='*:-1:stcp' callsign='ALPHA-1'/>",
            "<contact endpoint='*:-1:stcp' callsign='ALPHA-1' phone='+15555550100'/>"));
        var detail = TakMessageConverter.ToTakMessage(evt).CotEvent.Detail;

        Assert.Null(detail.Contact);
        Assert.Contains("phone='+15555550100'", detail.XmlDetail);
        AssertSameEvent(evt, TakMessageConverter.ToCotEvent(TakMessageConverter.ToTakMessage(evt)));
    }

    [Fact]
    public void A_repeated_element_stays_in_xml_detail()
    {
        var evt = CotXmlReader.Read(AtakSelfSa.Replace("<status battery='87'/>", "<status battery='87'/><status battery='12'/>"));
        var detail = TakMessageConverter.ToTakMessage(evt).CotEvent.Detail;

        Assert.Null(detail.Status);
        Assert.Contains("battery='87'", detail.XmlDetail);
        Assert.Contains("battery='12'", detail.XmlDetail);
    }

    [Fact]
    public void A_non_numeric_battery_stays_in_xml_detail()
    {
        var evt = CotXmlReader.Read(AtakSelfSa.Replace("battery='87'", "battery='full'"));
        var detail = TakMessageConverter.ToTakMessage(evt).CotEvent.Detail;

        Assert.Null(detail.Status);
        Assert.Contains("battery='full'", detail.XmlDetail);
    }

    [Fact]
    public void On_receipt_xml_detail_wins_over_the_typed_field()
    {
        var message = TakMessageConverter.ToTakMessage(CotXmlReader.Read(AtakSelfSa));
        message.CotEvent.Detail.XmlDetail += "<contact callsign='FROM-XML'/>";

        var evt = TakMessageConverter.ToCotEvent(message);

        Assert.Single(evt.Detail.All<Contact>());
        Assert.Equal("FROM-XML", evt.Detail.Contact?.Callsign);
    }

    [Fact]
    public void Control_only_message_is_a_domain_error_when_an_event_is_expected()
    {
        var control = TakControlMessages.CreateSupported("ANDROID-1");
        Assert.Throws<CotFormatException>(() => TakMessageConverter.ToCotEvent(control));
    }

    [Fact]
    public void Malformed_xml_detail_is_a_domain_error()
    {
        var message = TakMessageConverter.ToTakMessage(CotXmlReader.Read(AtakSelfSa));
        message.CotEvent.Detail.XmlDetail = "<remarks>unclosed";
        Assert.Throws<CotFormatException>(() => TakMessageConverter.ToCotEvent(message));
        message.CotEvent.Detail.XmlDetail = "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><remarks>&e;</remarks>";
        Assert.Throws<CotFormatException>(() => TakMessageConverter.ToCotEvent(message));
    }

    public static IEnumerable<object[]> Samples() =>
        Directory.Exists(SamplesDirectory)
            ? Directory.EnumerateFiles(SamplesDirectory, "*.xml").Order().Select(f => new object[] { Path.GetFileName(f) })
            : [];

    private static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "Samples");

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_survives_xml_to_proto_to_xml(string sample)
    {
        var evt = CotXmlReader.Read(File.ReadAllBytes(Path.Combine(SamplesDirectory, sample)));
        var datagram = TakMessageConverter.EncodeMesh(evt);
        var back = TakMessageConverter.DecodeMesh(datagram);
        var again = CotXmlReader.Read(CotXmlWriter.ToUtf8(back));

        AssertSameEvent(evt, again);
    }

    /// <summary>Same event up to TAK Protocol's millisecond times and the position of moved typed elements.</summary>
    internal static void AssertSameEvent(CotEvent expected, CotEvent actual)
    {
        Assert.Equal(Truncate(expected) with { Detail = CotDetail.Empty }, Truncate(actual) with { Detail = CotDetail.Empty });
        Assert.Equal(
            expected.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.ToString(), StringComparer.Ordinal),
            actual.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.ToString(), StringComparer.Ordinal));

        static CotEvent Truncate(CotEvent e) => e with { Time = Ms(e.Time), Start = Ms(e.Start), Stale = Ms(e.Stale) };
        static DateTime Ms(DateTime t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}

internal static class TakMessageBytes
{
    public static byte[] ToByteArrayFast(this Google.Protobuf.IMessage message) => Google.Protobuf.MessageExtensions.ToByteArray(message);
}
