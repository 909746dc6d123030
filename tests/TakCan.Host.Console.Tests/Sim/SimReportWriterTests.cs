using System.Xml.Linq;
using TakCan.Host.Console.Sim.Report;

namespace TakCan.Host.Console.Tests.Sim;

public class SimReportWriterTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static SimReport Report(
        string relay = "default",
        double? deliveryRatio = 0.9512,
        double? transmissionsPerMessage = 0.523,
        IReadOnlyList<NodeReport>? nodes = null,
        IReadOnlyList<int[]>? edges = null,
        IReadOnlyList<CheckReport>? checks = null,
        int seed = 7) =>
        new()
        {
            Scenario = "line-3",
            Seed = seed,
            Relay = relay,
            Time = "virtual",
            Nodes = nodes?.Count ?? 3,
            Teams = ["Cyan", "Red"],
            Radio = "ble",
            Medium = "broadcast",
            MaxHops = 4,
            DurationS = 600,
            WallS = 4.5,
            Speedup = 133.3,
            MessagesOriginated = 120,
            MeshMessagesOriginated = 150,
            ExpectedDeliveries = 240,
            Deliveries = 228,
            DeliveryRatio = deliveryRatio,
            SaFreshRatio = null,
            TransmissionsPerMessage = transmissionsPerMessage,
            Transmissions = 235,
            Frames = 300,
            BytesOnAir = 123_456,
            DuplicatesReceived = 42,
            LatencyMs = new LatencyReport(12.5, 40.1, null, 228, new Dictionary<string, HopLatency>
            {
                ["1"] = new(30.2, 44.0, 50.0, 100),
                ["0"] = new(10.1, 12.0, 13.0, 128),
            }),
            Leaks = 0,
            Drops = new Dictionary<string, long> { ["dedupe"] = 42, ["auth"] = 0, ["ttl"] = 3 },
            PeakMemoryMb = 87.25,
            ForeignWork = 0,
            PerNode = nodes ??
            [
                new NodeReport("A", "Cyan", 0, 0, 40, 80, 80, 1, 0),
                new NodeReport("B", "Cyan", 30, 0, 40, 80, 75, 2, 0),
                new NodeReport("a<b&c", "Red", 60, 0, 40, 80, 60, 1, 1),
            ],
            Edges = edges ?? [[0, 1], [1, 2]],
            Checks = checks ??
            [
                new CheckReport("delivery_ratio >= 0.995", false, deliveryRatio, 0.995),
                new CheckReport("leaks == 0", true, 0, 0),
            ],
        };

    private static string Edges(XDocument svg) =>
        Assert.Single(svg.Descendants(Svg + "path"), p => (string?)p.Attribute("id") == "edges").Attribute("d")!.Value;

    private static string Table(SimReport report)
    {
        var output = new StringWriter();
        SimReportTable.Write(output, report);
        return output.ToString();
    }

    [Fact]
    public void The_table_shows_the_delivery_ratio_the_failed_check_and_only_the_drops_that_happened()
    {
        var text = Table(Report());

        Assert.Contains("0.9512", text);
        Assert.Contains("0.523", text);
        Assert.Matches(@"delivery_ratio >= 0\.995\s.*FAIL", text);
        Assert.Matches(@"leaks == 0\s.*PASS", text);
        Assert.Contains("FAIL: 1 of 2 checks", text);
        Assert.Contains("dedupe 42", text);
        Assert.Contains("ttl 3", text);
        Assert.DoesNotContain("auth", text);
        Assert.DoesNotContain("\u001b[", text); // a StringWriter is not a terminal: plain text only
    }

    [Fact]
    public void The_table_lists_latency_by_hop_count_in_order()
    {
        var lines = Table(Report()).Split('\n');

        var zero = Array.FindIndex(lines, l => l.Contains("10.1") && l.Contains("128"));
        var one = Array.FindIndex(lines, l => l.Contains("30.2") && l.Contains("100"));
        Assert.True(zero >= 0 && one > zero, string.Join('\n', lines));
    }

    [Fact]
    public void A_report_with_no_data_reads_n_a_instead_of_zero_or_throwing()
    {
        var empty = Report(deliveryRatio: null, transmissionsPerMessage: null, nodes: [], edges: [], checks: []) with
        {
            LatencyMs = new LatencyReport(null, null, null, 0, new Dictionary<string, HopLatency>()),
            Drops = new Dictionary<string, long>(),
            Speedup = double.PositiveInfinity,
        };

        var text = Table(empty);

        Assert.Matches(@"delivery_ratio\s+n/a", text);
        Assert.Matches(@"transmissions_per_message\s+n/a", text);
        Assert.Contains("p50 n/a", text);
        Assert.Matches(@"drops\s+none", text);
        Assert.Contains("no checks", text);
        Assert.Single(XDocument.Parse(SimReportPicture.ToSvg(empty)).Descendants(Svg + "svg"));
    }

    [Fact]
    public void The_comparison_shows_both_runs_and_the_change()
    {
        var naive = Report(relay: "naive", deliveryRatio: 0.999, transmissionsPerMessage: 1.0,
            checks: [new CheckReport("delivery_ratio >= 0.995", true, 0.999, 0.995)]);
        var @default = Report(deliveryRatio: 0.9975, transmissionsPerMessage: 0.52,
            checks: [new CheckReport("delivery_ratio >= 0.995", true, 0.9975, 0.995)]);
        var output = new StringWriter();

        SimReportTable.WriteComparison(output, naive, @default);
        var text = output.ToString();

        var row = text.Split('\n').Single(l => l.Contains("transmissions_per_message"));
        Assert.Contains("1.000", row);
        Assert.Contains("0.520", row);
        Assert.Contains("-0.480 (-48.0 %)", row);
        var delivery = text.Split('\n').Single(l => l.Contains("delivery_ratio") && !l.Contains("check"));
        Assert.Contains("0.9990", delivery);
        Assert.Contains("0.9975", delivery);
        Assert.Contains("-0.0015", delivery);
        Assert.Contains("seed 7", text);
        Assert.Contains("medium broadcast", text);
        Assert.DoesNotContain("warning", text);
    }

    [Fact]
    public void The_comparison_warns_when_the_runs_are_not_the_same_seed()
    {
        var output = new StringWriter();

        SimReportTable.WriteComparison(output, Report(relay: "naive", seed: 1), Report(seed: 2));

        Assert.Contains("warning: the runs differ in seed (1 vs 2)", output.ToString());
    }

    [Fact]
    public void The_svg_is_xml_with_a_circle_per_node_one_path_for_the_edges_and_escaped_names()
    {
        var svg = SimReportPicture.ToSvg(Report());
        var document = XDocument.Parse(svg);

        var circles = document.Descendants(Svg + "circle").ToList();
        Assert.Equal(3, circles.Count);
        Assert.Equal(2, Edges(document).Count(c => c == 'M'));
        var teamDots = document.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "team").ToList();
        Assert.Equal(["#00ffff", "#ff0000"], teamDots.Select(p => p.Attribute("fill")!.Value)); // TAK's Cyan and Red
        Assert.Equal([2, 1], teamDots.Select(p => p.Attribute("d")!.Value.Count(c => c == 'M')));
        Assert.Contains(document.Descendants(Svg + "text"), t => t.Value == "a<b&c");
        Assert.Contains("a&lt;b&amp;c", svg);
        Assert.Contains(document.Descendants(Svg + "text"), t => t.Value.Contains("delivery 0.9512") && t.Value.Contains("tx/msg 0.523"));

        // y grows north: nodes on one east-west line share a cy; x grows east.
        var cx = circles.Select(c => double.Parse(c.Attribute("cx")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(cx[0] < cx[1] && cx[1] < cx[2]);
        Assert.Single(circles.Select(c => c.Attribute("cy")!.Value).Distinct());
        // 80/80 green, 75/80 amber, 60/80 red
        Assert.Equal(["#1a9850", "#f0a30a", "#d7301f"], circles.Select(c => c.Attribute("stroke")!.Value));
    }

    [Fact]
    public void A_thousand_nodes_and_thirty_thousand_edges_stay_under_three_megabytes_without_labels()
    {
        var random = new Random(1);
        var nodes = Enumerable.Range(0, 1000)
            .Select(i => new NodeReport($"node-{i}", i % 2 == 0 ? "Cyan" : "Red", random.NextDouble() * 2000, random.NextDouble() * 2000, 10, 100, 99, 60, 0))
            .ToList();
        var edges = Enumerable.Range(0, 30_000).Select(i => new[] { i % 1000, (i * 7 + 13) % 1000 }).ToList();

        var svg = SimReportPicture.ToSvg(Report(nodes: nodes, edges: edges));

        Assert.True(svg.Length < 3_000_000, $"{svg.Length} characters");
        var document = XDocument.Parse(svg);
        Assert.Equal(1000, document.Descendants(Svg + "circle").Count());
        Assert.Equal(30_000, Edges(document).Count(c => c == 'M'));
        Assert.DoesNotContain(document.Descendants(Svg + "text"), t => t.Value == "node-1");
    }

    [Theory]
    [InlineData("picture.svg")]
    [InlineData("picture.html")]
    public void Write_makes_an_svg_or_a_self_contained_html_page(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"takcan-sim-{Guid.NewGuid():N}");
        var path = Path.Combine(directory, name);
        try
        {
            SimReportPicture.Write(path, Report());
            var text = File.ReadAllText(path);

            if (name.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.StartsWith("<!DOCTYPE html>", text);
                Assert.DoesNotContain("src=", text);
                Assert.DoesNotContain("href=", text);
            }

            var start = text.IndexOf("<svg", StringComparison.Ordinal);
            var end = text.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length;
            Assert.Equal(3, XDocument.Parse(text[start..end]).Descendants(Svg + "circle").Count());
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
