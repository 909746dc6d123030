using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Tests;

public class SmokeTests
{
    [Fact]
    public void Reads_and_writes_self_sa()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <event version="2.0" uid="ANDROID-1" type="a-f-G-U-C" how="m-g" time="2024-05-01T12:00:00.000Z" start="2024-05-01T12:00:00.000Z" stale="2024-05-01T12:06:00.000Z">
              <point lat="45.1" lon="-75.7" hae="80.5" ce="9999999.0" le="9999999.0"/>
              <detail><contact callsign="ALPHA" endpoint="*:-1:stcp"/><__group name="Cyan" role="Team Member"/><x a='1'><y>t&amp;</y></x><remarks>hi &lt;there&gt;</remarks></detail>
            </event>
            """;
        var evt = CotXmlReader.Read(xml);
        Assert.Equal("ALPHA", evt.Detail.Contact?.Callsign);
        var again = CotXmlReader.Read(CotXmlWriter.ToXml(evt));
        Assert.Equal(evt, again);
        Assert.Contains("<x a='1'><y>t&amp;</y></x>", CotXmlWriter.ToXml(evt));
        Assert.Equal("hi <there>", evt.Detail.Remarks?.Content);
    }
}
