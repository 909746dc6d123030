using System.Globalization;
using System.Text;

namespace TakCan.Host.Console.Sim.Report;

/// <summary>
/// One picture of a run: the radio topology at the start (nodes at their positions, north up, neighbours joined by
/// grey lines), each node a dot of its team's colour inside a ring coloured by how much of what it was expected to
/// receive it did receive. Self-contained SVG, or an HTML page around it, so it opens anywhere without a network.
/// </summary>
public static class SimReportPicture
{
    private const double PlotSize = 900;
    private const double Margin = 30;
    private const double LabelRoom = 90;
    private const double TitleHeight = 50;
    private const double LegendRowHeight = 22;
    private const double LegendItemWidth = 150;
    private const double MinimumWidth = 760;
    private const int MaxLabelledNodes = 60;

    private const string Received = "#1a9850";
    private const string Partly = "#f0a30a";
    private const string Missed = "#d7301f";
    private const string NothingExpected = "#9e9e9e";
    private const string NoTeam = "#d0d0d0";

    // ATAK's team colours (the team names an operator picks from), so a picture matches what the map shows.
    private static readonly Dictionary<string, string> TakTeamColours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["White"] = "#ffffff", ["Yellow"] = "#ffff00", ["Orange"] = "#ff7700", ["Magenta"] = "#ff00ff",
        ["Red"] = "#ff0000", ["Maroon"] = "#7f0000", ["Purple"] = "#7f007f", ["Dark Blue"] = "#00007f",
        ["Blue"] = "#0000ff", ["Cyan"] = "#00ffff", ["Teal"] = "#007f7f", ["Green"] = "#00c000",
        ["Dark Green"] = "#005f00", ["Brown"] = "#a0522d",
    };

    private static readonly string[] OtherTeamColours = ["#4e79a7", "#f28e2b", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#59a14f"];

    public static void Write(string path, SimReport report)
    {
        var svg = ToSvg(report);
        var html = path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        File.WriteAllText(path, html ? Html(report, svg) : svg, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    public static string ToSvg(SimReport report)
    {
        var nodes = report.PerNode;
        var (minX, maxX, minY, maxY) = Bounds(nodes);
        var span = Math.Max(maxX - minX, maxY - minY);
        var scale = span > 0 ? PlotSize / span : 1;
        var plotWidth = (maxX - minX) * scale;
        var plotHeight = (maxY - minY) * scale;
        var labelled = nodes.Count <= MaxLabelledNodes;
        var radius = Math.Clamp(PlotSize / (Math.Sqrt(Math.Max(nodes.Count, 1)) * 6), 2.5, 9);

        var width = Math.Max(plotWidth + 2 * Margin + (labelled ? LabelRoom : 0), MinimumWidth);
        var left = (width - plotWidth - (labelled ? LabelRoom : 0)) / 2;
        var top = TitleHeight + Margin;
        double X(double x) => left + (Finite(x) - minX) * scale;
        double Y(double y) => top + (maxY - Finite(y)) * scale; // metres grow north, SVG grows down

        var teams = TeamColours(report);
        var perRow = Math.Max(1, (int)((width - 2 * Margin) / LegendItemWidth));
        var legendTop = top + plotHeight + Margin;
        var legendRows = 1 + (teams.Count + perRow - 1) / perRow;
        var height = legendTop + legendRows * LegendRowHeight + Margin / 2;

        var svg = new StringBuilder(4096 + nodes.Count * 200 + report.Edges.Count * 30);
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{R(width)}\" height=\"{R(height)}\" viewBox=\"0 0 {R(width)} {R(height)}\" font-family=\"sans-serif\">\n"));
        svg.Append(Invariant($"<rect width=\"{R(width)}\" height=\"{R(height)}\" fill=\"#ffffff\"/>\n"));
        Title(svg, report);

        var edges = new StringBuilder(report.Edges.Count * 30);
        foreach (var edge in report.Edges)
        {
            // The engine writes pairs of indices into per_node; anything else (a report edited by hand) is skipped, not fatal.
            if (edge is not [var a, var b] || a < 0 || b < 0 || a >= nodes.Count || b >= nodes.Count) continue;
            edges.Append('M').Append(R(X(nodes[a].X))).Append(' ').Append(R(Y(nodes[a].Y)))
                .Append('L').Append(R(X(nodes[b].X))).Append(' ').Append(R(Y(nodes[b].Y)));
        }

        if (edges.Length > 0)
            svg.Append(Invariant($"<path id=\"edges\" fill=\"none\" stroke=\"#a0a0a0\" stroke-opacity=\"0.7\" stroke-width=\"{R(nodes.Count > 200 ? 0.4 : 1)}\" d=\"")).Append(edges).Append("\"/>\n");

        svg.Append(Invariant($"<g id=\"nodes\" fill=\"#ffffff\" stroke-width=\"{R(radius * 0.45)}\">\n"));
        foreach (var node in nodes)
        {
            svg.Append(Invariant($"<circle cx=\"{R(X(node.X))}\" cy=\"{R(Y(node.Y))}\" r=\"{R(radius)}\" stroke=\"{RingColour(node)}\">"))
                .Append("<title>").Append(Escape(Tooltip(node))).Append("</title></circle>\n");
        }

        svg.Append("</g>\n");

        // The team is a dot inside the ring, not the ring's fill: with TAK's team colours (Red, Green, Orange...) a
        // filled node in a ring of its own colour would hide whether it received. One path a team keeps 1 000 nodes small.
        var dot = radius * 0.5;
        svg.Append("<g id=\"teams\" stroke=\"#555555\" stroke-width=\"0.5\" pointer-events=\"none\">\n");
        foreach (var team in nodes.GroupBy(n => n.Team))
        {
            var dots = new StringBuilder(team.Count() * 48);
            foreach (var node in team)
                dots.Append('M').Append(R(X(node.X) - dot)).Append(' ').Append(R(Y(node.Y)))
                    .Append(Invariant($"a{R(dot)} {R(dot)} 0 1 0 {R(2 * dot)} 0a{R(dot)} {R(dot)} 0 1 0 -{R(2 * dot)} 0Z"));
            svg.Append(Invariant($"<path class=\"team\" fill=\"{teams[team.Key]}\" d=\"")).Append(dots).Append("\"/>\n");
        }

        svg.Append("</g>\n");

        if (labelled && nodes.Count > 0)
        {
            svg.Append("<g id=\"labels\" font-size=\"10\" fill=\"#333333\">\n");
            foreach (var node in nodes)
                svg.Append(Invariant($"<text x=\"{R(X(node.X) + radius + 2)}\" y=\"{R(Y(node.Y) + 3)}\">")).Append(Escape(node.Name)).Append("</text>\n");
            svg.Append("</g>\n");
        }

        Legend(svg, teams, legendTop, perRow);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Title(StringBuilder svg, SimReport report)
    {
        var verdict = report.Checks.Count == 0 ? "no checks" : report.Passed ? "PASS" : $"FAIL ({report.Checks.Count(c => !c.Ok)} of {report.Checks.Count} checks)";
        var first = $"{report.Scenario} · relay {report.Relay} · {report.Nodes} nodes · seed {report.Seed}";
        var second = $"delivery {Ratio(report.DeliveryRatio, "0.0000")} · tx/msg {Ratio(report.TransmissionsPerMessage, "0.000")} · " +
                     $"sa fresh {Ratio(report.SaFreshRatio, "0.0000")} · leaks {report.Leaks} · {report.Radio}/{report.Medium} · " +
                     Invariant($"{report.DurationS:0.#} s · ") + verdict;
        svg.Append(Invariant($"<text x=\"{R(Margin)}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">")).Append(Escape(first)).Append("</text>\n");
        svg.Append(Invariant($"<text x=\"{R(Margin)}\" y=\"40\" font-size=\"12\" fill=\"#333333\">")).Append(Escape(second)).Append("</text>\n");
    }

    private static void Legend(StringBuilder svg, IReadOnlyDictionary<string, string> teams, double top, int perRow)
    {
        svg.Append("<g id=\"legend\" font-size=\"11\">\n");
        (string Label, string Fill, string Stroke)[] rings =
        [
            ("received ≥ 0.99", "#ffffff", Received), ("received ≥ 0.90", "#ffffff", Partly),
            ("received < 0.90", "#ffffff", Missed), ("nothing expected", "#ffffff", NothingExpected),
        ];
        var items = rings.Select((r, i) => (r.Label, r.Fill, r.Stroke, Row: 0, Column: i))
            .Concat(teams.Select((t, i) => (Label: t.Key.Length == 0 ? "no team" : $"team {t.Key}", Fill: t.Value, Stroke: "#555555", Row: 1 + i / perRow, Column: i % perRow)));
        foreach (var (label, fill, stroke, row, column) in items)
        {
            var x = Margin + column * LegendItemWidth;
            var y = top + row * LegendRowHeight;
            var strokeWidth = row == 0 ? 3 : 1;
            svg.Append(Invariant($"<rect x=\"{R(x)}\" y=\"{R(y)}\" width=\"12\" height=\"12\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth}\"/>"))
                .Append(Invariant($"<text x=\"{R(x + 18)}\" y=\"{R(y + 10)}\">")).Append(Escape(label)).Append("</text>\n");
        }

        svg.Append("</g>\n");
    }

    /// <summary>Every team on a node or in the scenario, in the scenario's order, with a colour.</summary>
    private static Dictionary<string, string> TeamColours(SimReport report)
    {
        var colours = new Dictionary<string, string>(StringComparer.Ordinal);
        var other = 0;
        foreach (var team in report.Teams.Concat(report.PerNode.Select(n => n.Team)))
        {
            if (colours.ContainsKey(team)) continue;
            colours[team] = team.Length == 0 ? NoTeam
                : TakTeamColours.TryGetValue(team, out var colour) ? colour
                : OtherTeamColours[other++ % OtherTeamColours.Length];
        }

        return colours;
    }

    private static string RingColour(NodeReport node)
    {
        if (node.Expected <= 0) return NothingExpected;
        var ratio = (double)node.Received / node.Expected;
        return ratio >= 0.99 ? Received : ratio >= 0.9 ? Partly : Missed;
    }

    private static string Tooltip(NodeReport node)
    {
        var received = node.Expected > 0 ? Invariant($"{node.Received}/{node.Expected} received ({(double)node.Received / node.Expected:0.000})") : $"{node.Received} received, none expected";
        var restarts = node.Restarts > 0 ? $", {node.Restarts} restarts" : "";
        return Invariant($"{node.Name} · team {(node.Team.Length == 0 ? "none" : node.Team)} · {received} · {node.Sent} sent · {node.Neighbours} neighbours{restarts} · ({node.X:0.#}, {node.Y:0.#}) m");
    }

    private static (double MinX, double MaxX, double MinY, double MaxY) Bounds(IReadOnlyList<NodeReport> nodes)
    {
        if (nodes.Count == 0) return (0, 0, 0, 0);
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (var node in nodes)
        {
            minX = Math.Min(minX, Finite(node.X));
            maxX = Math.Max(maxX, Finite(node.X));
            minY = Math.Min(minY, Finite(node.Y));
            maxY = Math.Max(maxY, Finite(node.Y));
        }

        return (minX, maxX, minY, maxY);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static string Ratio(double? value, string format) => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>One decimal is a tenth of a pixel: finer costs bytes (30 000 edges) and shows nothing.</summary>
    private static string R(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text for an XML text node or attribute; characters XML 1.0 forbids (control characters, lone surrogates) are dropped.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case '\t' or '\n' or '\r': escaped.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) escaped.Append(c).Append(text[++i]);
                    else if (!char.IsSurrogate(c)) escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }

    private static string Html(SimReport report, string svg) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
        $"<title>{Escape($"takcan sim {report.Scenario} (relay {report.Relay}, seed {report.Seed})")}</title>\n" +
        "<style>body{margin:0;padding:12px;background:#f4f4f4;font-family:sans-serif}svg{max-width:100%;height:auto;background:#fff}</style>\n" +
        "</head>\n<body>\n" + svg + "</body>\n</html>\n";
}
