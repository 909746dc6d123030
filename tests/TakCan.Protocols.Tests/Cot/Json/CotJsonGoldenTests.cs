using System.Text.Json;
using TakCan.Protocols.Cot.Json;

namespace TakCan.Protocols.Tests.Cot.Json;

/// <summary>
/// Pins the exact text of the format (specs/cot-json.md). If this test fails, the format changed: exports written by
/// earlier versions and other tools depend on it, so change the spec first and only by adding fields.
/// </summary>
public class CotJsonGoldenTests
{
    private const string SelfSaJson =
        """{"version":"2.0","uid":"ANDROID-8f3b2c1d9e0a4b67","type":"a-f-G-U-C","how":"m-g","time":"2024-05-01T12:00:03.512Z","start":"2024-05-01T12:00:03.512Z","stale":"2024-05-01T12:06:18.512Z","point":{"lat":38.889484,"lon":-77.035278,"hae":12.345,"ce":4.9,"le":9999999},"detail":[{"element":"takv","device":"GOOGLE PIXEL 7","platform":"ATAK-CIV","os":"34","version":"5.1.0.16 (b2f1f4e2).1714565000-CIV"},{"element":"contact","callsign":"VIKING","endpoint":"*:-1:stcp"},{"element":"uid","droid":"VIKING"},{"element":"precisionlocation","geopointSource":"GPS","altitudeSource":"GPS"},{"element":"__group","team":"Cyan","role":"Team Lead"},{"element":"status","battery":78},{"element":"track","course":271.53942871093744,"speed":1.3487396240234375}]}""";

    [Fact]
    public void Self_sa_is_written_exactly_so()
    {
        Assert.Equal(SelfSaJson, CotJson.Serialize(CotJsonSamples.SelfSa()));
    }

    [Fact]
    public void Self_sa_text_reads_back_to_the_event()
    {
        Assert.Equal(CotJsonSamples.SelfSa(), CotJson.Deserialize(SelfSaJson));
    }

    [Fact]
    public void Pretty_printed_form_reads_the_same()
    {
        using var document = JsonDocument.Parse(SelfSaJson);
        var pretty = JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });

        Assert.Equal(CotJsonSamples.SelfSa(), CotJson.Deserialize(pretty));
    }

    [Fact]
    public void Markup_and_non_ascii_stay_readable_while_control_characters_are_escaped()
    {
        var evt = CotJsonSamples.With(new TakCan.Protocols.Cot.Detail.Remarks { Content = "<b>Zürich</b> & 'Ö'\t\"x\"\\" });

        var json = CotJson.Serialize(evt);

        Assert.Contains("""{"element":"remarks","content":"<b>Zürich</b> & 'Ö'\t\"x\"\\"}""", json);
    }
}
