using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Detail;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.Gps;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Tests.Cot.Builders;

public class SelfSaBuilderTests
{
    private static readonly SelfSaBuilder.Identity Viking = new("TAKCAN-8f3b2c1d9e0a4b67", "VIKING", "Cyan", "Team Lead");
    private static readonly DateTime Now = new DateTime(2024, 5, 1, 12, 0, 3, DateTimeKind.Utc).AddTicks(5_124_567);
    private static readonly LocationFix Fix = new(
        new DateTime(2024, 5, 1, 12, 0, 2, DateTimeKind.Utc), 38.889484, -77.035278, 12.345, 271.53942871093744, 1.3487396240234375, 4.9);

    private static CotEvent Build(LocationFix? fix = null, int? battery = 78) =>
        SelfSaBuilder.Build(Viking, fix ?? Fix, Now, TimeSpan.FromSeconds(90), battery);

    [Fact]
    public void Carries_the_same_elements_in_the_same_order_as_atak()
    {
        var atak = CotXmlReader.Read(CotSamples.Bytes("atak-sa.xml"));

        Assert.Equal(atak.Detail.Kinds, Build().Detail.Kinds);
        Assert.Equal(atak.Type, Build().Type);
        Assert.Equal(atak.How, Build().How);
    }

    [Fact]
    public void Fills_every_element_from_identity_fix_and_battery()
    {
        var sa = Build();

        Assert.Equal("TAKCAN-8f3b2c1d9e0a4b67", sa.Uid);
        Assert.Equal("a-f-G-U-C", sa.Type);
        Assert.Equal("m-g", sa.How);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 3, 512, DateTimeKind.Utc), sa.Time);
        Assert.Equal(sa.Time, sa.Start);
        Assert.Equal(sa.Time.AddSeconds(90), sa.Stale);
        Assert.Equal(new CotPoint(38.889484, -77.035278, 12.345, 4.9, CotPoint.Unknown), sa.Point);
        Assert.Equal("VIKING", sa.Detail.Contact!.Callsign);
        Assert.Equal("*:-1:stcp", sa.Detail.Contact.Endpoint);
        Assert.Equal("Cyan", sa.Detail.Group!.Team);
        Assert.Equal("Team Lead", sa.Detail.Group.Role);
        Assert.Equal("TAK Can", sa.Detail.Takv!.Device);
        Assert.Equal("TAK-Can", sa.Detail.Takv.Platform);
        Assert.Equal(Environment.OSVersion.VersionString, sa.Detail.Takv.Os);
        Assert.False(string.IsNullOrEmpty(sa.Detail.Takv.Version));
        Assert.Equal(271.53942871093744, sa.Detail.Track!.Course);
        Assert.Equal(1.3487396240234375, sa.Detail.Track.Speed);
        Assert.Equal(78, sa.Detail.Status!.Battery);
        Assert.Equal("GPS", sa.Detail.PrecisionLocation!.GeopointSource);
        Assert.Equal("GPS", sa.Detail.PrecisionLocation.AltitudeSource);
        Assert.Equal("VIKING", sa.Detail.DroidUid!.Droid);
    }

    [Fact]
    public void Round_trips_through_xml_unchanged()
    {
        var sa = Build();

        var xml = CotXmlWriter.ToXml(sa);
        var back = CotXmlReader.Read(xml);

        Assert.Equal(sa, back);
        Assert.Contains("<contact endpoint='*:-1:stcp' callsign='VIKING'/>", xml);
        Assert.Contains("<uid Droid='VIKING'/>", xml);
    }

    [Fact]
    public void Every_typed_element_moves_into_its_tak_protocol_field()
    {
        var detail = TakMessageConverter.ToTakMessage(Build()).CotEvent.Detail;

        Assert.Equal("VIKING", detail.Contact.Callsign);
        Assert.Equal("*:-1:stcp", detail.Contact.Endpoint);
        Assert.Equal("Cyan", detail.Group.Name);
        Assert.Equal("Team Lead", detail.Group.Role);
        Assert.Equal("TAK-Can", detail.Takv.Platform);
        Assert.Equal("TAK Can", detail.Takv.Device);
        Assert.Equal(271.53942871093744, detail.Track.Course);
        Assert.Equal(78u, detail.Status.Battery);
        Assert.Equal("GPS", detail.PrecisionLocation.Geopointsrc);
        Assert.Equal("GPS", detail.PrecisionLocation.Altsrc);
        // Only uid Droid has no typed field.
        Assert.Equal("<uid Droid='VIKING'/>", detail.XmlDetail);
    }

    [Fact]
    public void Round_trips_through_tak_protocol_with_every_field()
    {
        var sa = Build();

        var back = TakMessageConverter.DecodeMesh(TakMessageConverter.EncodeMesh(sa));

        Assert.Equal(sa with { Detail = CotDetail.Empty }, back with { Detail = CotDetail.Empty });
        Assert.Equal(
            sa.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal),
            back.Detail.Elements.OrderBy(e => e.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Without_a_battery_level_there_is_no_status()
    {
        var sa = Build(battery: null);

        Assert.Null(sa.Detail.Status);
        Assert.Null(TakMessageConverter.ToTakMessage(sa).CotEvent.Detail.Status);
    }

    [Fact]
    public void A_fix_without_height_course_or_error_reports_unknowns_as_atak_does()
    {
        var sa = Build(new LocationFix(Fix.Time, 1, 2));

        Assert.Equal(CotPoint.Unknown, sa.Point.Hae);
        Assert.Equal(CotPoint.Unknown, sa.Point.Ce);
        Assert.Equal("???", sa.Detail.PrecisionLocation!.AltitudeSource);
        Assert.Equal(0.0, sa.Detail.Track!.Course);
        Assert.Equal(0.0, sa.Detail.Track.Speed);
        Assert.NotNull(TakMessageConverter.ToTakMessage(sa).CotEvent.Detail.Track);
    }

    [Fact]
    public void A_position_entered_by_hand_is_human_entered()
    {
        var sa = Build(Fix with { Source = LocationFix.User });

        Assert.Equal("h-e", sa.How);
        Assert.Equal("USER", sa.Detail.PrecisionLocation!.GeopointSource);
        Assert.Equal("USER", sa.Detail.PrecisionLocation.AltitudeSource);
    }

    [Fact]
    public void The_identity_type_is_used()
    {
        Assert.Equal("a-f-G-E-V-C", SelfSaBuilder.Build(Viking with { Type = "a-f-G-E-V-C" }, Fix, Now, TimeSpan.FromMinutes(3)).Type);
    }

    [Fact]
    public void A_local_time_is_converted_to_utc()
    {
        var sa = SelfSaBuilder.Build(Viking, Fix, Now.ToLocalTime(), TimeSpan.FromSeconds(90));

        Assert.Equal(DateTimeKind.Utc, sa.Time.Kind);
        Assert.Equal(new DateTime(2024, 5, 1, 12, 0, 3, 512, DateTimeKind.Utc), sa.Time);
    }
}
