using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// Reads TAK Server's answer to <c>GET /Marti/api/missions/{name}/cot</c>: an XML declaration, then
/// <c>&lt;events&gt;</c> holding the latest event of each of the mission's uids, one after another, then
/// <c>&lt;/events&gt;</c> (MissionServiceDefaultImpl.getCachedCotImpl). Each event is cut out by itself
/// (<see cref="CotXmlStreamSplitter"/>) and read with <see cref="CotXmlReader"/>: TAK Server builds the events by
/// string concatenation without escaping the uid or type, so one broken event must not cost the others. A bad event
/// is counted and skipped; an answer that is not such a document, or breaks a limit, is refused as a whole.
/// </summary>
public static class MissionCotReader
{
    public const int MaxProblems = 5;

    private static ReadOnlySpan<byte> Root => "<events"u8;

    private static ReadOnlySpan<byte> RootEnd => "</events"u8;

    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    /// <exception cref="MartiException">Not an <c>&lt;events&gt;</c> document of UTF-8 XML without a DTD, cut off, or over a limit.</exception>
    public static MissionCot Read(ReadOnlySpan<byte> xml, MartiLimits? limits = null)
    {
        limits ??= MartiLimits.Default;
        if (xml.Length > limits.MaxCotBytes)
            throw new MartiException($"the mission CoT is {xml.Length} bytes, more than the {limits.MaxCotBytes} TAK Can reads");
        if (xml.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || xml.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || (xml.Length > 1 && (xml[0] == 0 || xml[1] == 0)))
            throw new MartiException("the mission CoT is not UTF-8 (TAK Server sends UTF-8)");
        if (xml.StartsWith("\uFEFF"u8)) xml = xml[3..];

        var body = Body(xml);
        if (body.IsEmpty) return MissionCot.Empty;

        var splitter = new CotXmlStreamSplitter(limits.Cot);
        splitter.Feed(body);
        var events = new List<CotEvent>();
        var problems = new List<string>();
        var bad = 0;
        var index = 0;
        while (true)
        {
            ReadOnlyMemory<byte> eventBytes;
            try
            {
                if (!splitter.TryRead(out eventBytes)) break;
            }
            catch (CotFormatException e)
            {
                Bad(++index, e);
                continue;
            }

            index++;
            CheckCount(index);
            try
            {
                events.Add(CotXmlReader.Read(eventBytes.Span, limits.Cot));
            }
            catch (CotFormatException e)
            {
                Bad(index, e);
            }
        }

        try
        {
            splitter.Complete();
        }
        catch (CotFormatException e)
        {
            // Text after the last </event> that is not an event: garbage, or an event cut short.
            Bad(++index, e);
        }

        return new MissionCot(new EquatableArray<CotEvent>(events), bad, new EquatableArray<string>(problems));

        void Bad(int at, CotFormatException e)
        {
            CheckCount(at);
            bad++;
            if (problems.Count < MaxProblems) problems.Add($"event {at}: {e.Message}");
        }

        void CheckCount(int count)
        {
            if (count > limits.MaxCotEvents)
                throw new MartiException($"the mission CoT holds more than the {limits.MaxCotEvents} events TAK Can reads");
        }
    }

    /// <summary>What lies between <c>&lt;events&gt;</c> and <c>&lt;/events&gt;</c>; empty for <c>&lt;events/&gt;</c>.</summary>
    private static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> xml)
    {
        var at = SkipProlog(xml);
        var rest = xml[at..];
        if (rest.Length == Root.Length && rest.SequenceEqual(Root)) throw Truncated();
        if (!rest.StartsWith(Root) || (Whitespace.IndexOf(rest[Root.Length]) < 0 && rest[Root.Length] is not (byte)'>' and not (byte)'/'))
            throw new MartiException("the mission CoT is not an <events> document; is this a TAK Server's /Marti/api/missions/{name}/cot?");
        var close = rest.IndexOf((byte)'>');
        if (close < 0) throw Truncated();
        var afterStart = rest[(close + 1)..];
        if (rest[close - 1] == (byte)'/')
        {
            if (afterStart.IndexOfAnyExcept(Whitespace) >= 0)
                throw new MartiException("the mission CoT has content after its empty <events/> element");
            return ReadOnlySpan<byte>.Empty;
        }

        var trimmed = afterStart.TrimEnd(Whitespace);
        if (trimmed.IsEmpty || trimmed[^1] != (byte)'>') throw Truncated();
        var end = trimmed.LastIndexOf(RootEnd);
        if (end < 0 || trimmed[(end + RootEnd.Length)..^1].IndexOfAnyExcept(Whitespace) >= 0) throw Truncated();
        return trimmed[..end];
    }

    /// <summary>Skips white space, the XML declaration, processing instructions and comments; a DTD is refused.</summary>
    private static int SkipProlog(ReadOnlySpan<byte> xml)
    {
        var at = 0;
        while (true)
        {
            var next = xml[at..].IndexOfAnyExcept(Whitespace);
            if (next < 0) throw new MartiException("the mission CoT is empty; TAK Server sends <events></events> for a mission without CoT");
            at += next;
            var rest = xml[at..];
            if (rest.StartsWith("<?"u8))
                at += End(rest, "?>"u8, "processing instruction");
            else if (rest.StartsWith("<!--"u8))
                at += End(rest, "-->"u8, "comment");
            else if (rest.StartsWith("<!"u8))
                throw new MartiException("the mission CoT declares a DTD; TAK Can refuses DTDs (entity expansion, external entities)");
            else
                return at;
        }

        static int End(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> terminator, string what)
        {
            var end = rest.IndexOf(terminator);
            return end < 0
                ? throw new MartiException($"the mission CoT has an unterminated {what} before <events>")
                : end + terminator.Length;
        }
    }

    private static MartiException Truncated() =>
        new("the mission CoT does not end with </events>: the answer was cut off or is not mission CoT");
}
