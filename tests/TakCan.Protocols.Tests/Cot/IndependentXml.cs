using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace TakCan.Protocols.Tests.Cot;

/// <summary>
/// System.Xml as a second opinion on our reader and writer: a parser we did not write, with DTDs prohibited.
/// </summary>
public static partial class IndependentXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        CheckCharacters = true,
        // Whitespace-only text between elements is layout, not content.
        IgnoreWhitespace = true,
    };

    public static XDocument Parse(string text, LoadOptions options = LoadOptions.None)
    {
        using var reader = XmlReader.Create(new StringReader(text), Settings);
        return XDocument.Load(reader, options);
    }

    public static XDocument Parse(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), Settings);
        return XDocument.Load(reader);
    }

    /// <summary>True when System.Xml accepts the text as a well-formed document (no DTD).</summary>
    public static bool IsWellFormed(string text) => Accepts(() => Parse(text));

    public static bool IsWellFormed(byte[] bytes) => Accepts(() => Parse(bytes));

    private static bool Accepts(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// Asserts that every element, attribute and text of <paramref name="original"/> is in <paramref name="output"/>:
    /// attributes by name (extra ones in the output are fine), values equal as strings, as numbers or as instants,
    /// text equal once whitespace-only nodes are dropped, child elements in the same order. <c>point</c> and
    /// <c>detail</c> may swap places, and an empty <c>&lt;detail/&gt;</c> may be left out.
    /// </summary>
    public static void AssertSurvives(string original, string output)
    {
        var expected = Parse(original).Root!;
        var actual = Parse(output).Root!;
        Assert.Equal("event", expected.Name.LocalName);
        Assert.Equal("event", actual.Name.LocalName);
        CompareAttributes(expected, actual, "/event");
        foreach (var child in expected.Elements())
        {
            var match = actual.Element(child.Name);
            if (match is null && child.Name == "detail" && !child.HasElements && !child.HasAttributes) continue;
            if (match is null) Assert.Fail($"/event/{child.Name} is missing from the output");
            Assert.Single(actual.Elements(child.Name));
            CompareElements(child, match, $"/event/{child.Name}");
        }

        Assert.True(actual.Elements().Count() <= expected.Elements().Count(), "the output has extra children of <event>");
    }

    /// <summary>Names of the detail children in document order.</summary>
    public static IReadOnlyList<string> DetailChildNames(string xml) =>
        Parse(xml).Root!.Element("detail")?.Elements().Select(e => e.Name.ToString()).ToArray() ?? [];

    public static void CompareElements(XElement expected, XElement actual, string path)
    {
        Assert.True(expected.Name == actual.Name, $"{path}: element <{expected.Name}> became <{actual.Name}>");
        CompareAttributes(expected, actual, path);
        var expectedText = TextOf(expected);
        var actualText = TextOf(actual);
        Assert.True(expectedText == actualText, $"{path}: text '{expectedText}' became '{actualText}'");
        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        var expectedNames = string.Join(",", expectedChildren.Select(c => c.Name));
        var actualNames = string.Join(",", actualChildren.Select(c => c.Name));
        Assert.True(expectedNames == actualNames, $"{path}: children [{expectedNames}] became [{actualNames}]");
        for (var i = 0; i < expectedChildren.Count; i++)
            CompareElements(expectedChildren[i], actualChildren[i], $"{path}/{expectedChildren[i].Name}[{i}]");
    }

    private static void CompareAttributes(XElement expected, XElement actual, string path)
    {
        foreach (var attribute in expected.Attributes())
        {
            var other = actual.Attribute(attribute.Name);
            Assert.True(other is not null, $"{path}/@{attribute.Name} is missing from the output");
            Assert.True(ValuesEqual(attribute.Value, other.Value),
                $"{path}/@{attribute.Name}: '{attribute.Value}' became '{other.Value}'");
        }
    }

    /// <summary>Character content, whitespace-only nodes dropped (they are layout between child elements).</summary>
    public static string TextOf(XElement element) =>
        string.Concat(element.Nodes().OfType<XText>().Select(t => t.Value).Where(v => !string.IsNullOrWhiteSpace(v)));

    public static bool ValuesEqual(string expected, string actual)
    {
        if (expected == actual) return true;
        if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &&
            double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
            return x.Equals(y);
        if (IsoTime().IsMatch(expected) && IsoTime().IsMatch(actual) &&
            DateTimeOffset.TryParse(expected, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a) &&
            DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b))
            return a.UtcTicks == b.UtcTicks;
        return false;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex IsoTime();
}
