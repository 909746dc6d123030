using System.Buffers;
using System.Text;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>
/// The tokenizer behind <see cref="CotXmlReader"/>: one pass over valid UTF-8, checking well-formedness as it
/// goes. Only the element kinds CoT needs are built (event, point, well-known detail elements); unknown detail
/// elements are checked and kept as their source text.
/// </summary>
internal ref struct CotXmlScanner
{
    // XML 1.0 allows only tab, LF and CR below 0x20.
    private static readonly SearchValues<byte> ForbiddenControls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private static readonly SearchValues<byte> TextStops = SearchValues.Create("<&"u8);

    private readonly ReadOnlySpan<byte> _s;
    private readonly CotXmlLimits _limits;
    private int _pos;
    private int _lastAttributeNameStart;
    private string? _ignoredText;
    private bool _fragment;

    public CotXmlScanner(ReadOnlySpan<byte> utf8, CotXmlLimits limits)
    {
        _s = utf8;
        _limits = limits;
        _pos = 0;
        _lastAttributeNameStart = 0;
        _ignoredText = null;
        _fragment = false;
    }

    public CotEvent ReadDocument()
    {
        CheckControls(_s);
        SkipMisc(allowDeclaration: true);
        if (_pos >= _s.Length) throw Fail("no <event> element found");
        var evt = ReadEvent();
        SkipMisc(allowDeclaration: false);
        if (_pos < _s.Length) throw Fail("unexpected content after </event>");
        return evt;
    }

    /// <summary>Checks that the input is exactly one well-formed element and returns its name.</summary>
    public string ReadSingleElement()
    {
        CheckControls(_s);
        SkipWhitespace();
        if (!At((byte)'<')) throw Fail("expected an element");
        _pos++;
        var name = ReadName();
        var nameText = Encoding.UTF8.GetString(name);
        ReadElementRest(name, null, 1);
        SkipWhitespace();
        if (_pos < _s.Length) throw Fail($"unexpected content after </{nameText}>");
        return nameText;
    }

    private void CheckControls(ReadOnlySpan<byte> span)
    {
        var bad = span.IndexOfAny(ForbiddenControls);
        if (bad >= 0) throw new CotFormatException($"control character 0x{span[bad]:X2} is not allowed in XML", bad);
        // U+FFFE and U+FFFF are not XML characters either; unknown elements are relayed verbatim, so refuse them here.
        var fffe = span.IndexOf("\uFFFE"u8);
        var ffff = span.IndexOf("\uFFFF"u8);
        if (fffe >= 0 || ffff >= 0)
            throw new CotFormatException("noncharacter U+FFFE or U+FFFF is not allowed in XML", fffe < 0 ? ffff : ffff < 0 ? fffe : Math.Min(fffe, ffff));
    }

    private CotEvent ReadEvent()
    {
        if (!At((byte)'<')) throw Fail("expected <event>");
        _pos++;
        var name = ReadName();
        if (!name.SequenceEqual("event"u8))
            throw Fail($"root element is <{Encoding.UTF8.GetString(name)}>, expected <event>");

        string? version = null, uid = null, type = null, how = null, access = null, qos = null, opex = null;
        DateTime? time = null, start = null, stale = null;
        List<Range>? ignored = null;
        var attributeCount = 0;
        while (NextAttribute(ref attributeCount, out var attrName, out var rawValue, out var valueStart))
        {
            switch (attrName)
            {
                case var n when n.SequenceEqual("uid"u8): Set(ref uid, rawValue, "uid"); break;
                case var n when n.SequenceEqual("type"u8): Set(ref type, rawValue, "type"); break;
                case var n when n.SequenceEqual("how"u8): Set(ref how, rawValue, "how"); break;
                case var n when n.SequenceEqual("time"u8): SetTime(ref time, rawValue, "time", valueStart); break;
                case var n when n.SequenceEqual("start"u8): SetTime(ref start, rawValue, "start", valueStart); break;
                case var n when n.SequenceEqual("stale"u8): SetTime(ref stale, rawValue, "stale", valueStart); break;
                case var n when n.SequenceEqual("version"u8): Set(ref version, rawValue, "version"); break;
                case var n when n.SequenceEqual("access"u8): Set(ref access, rawValue, "access"); break;
                case var n when n.SequenceEqual("qos"u8): Set(ref qos, rawValue, "qos"); break;
                case var n when n.SequenceEqual("opex"u8): Set(ref opex, rawValue, "opex"); break;
                default: CheckIgnoredAttribute(ref ignored, attrName, rawValue, valueStart, "event"); break;
            }
        }

        if (string.IsNullOrEmpty(uid)) throw Fail("<event> has no uid");
        if (string.IsNullOrEmpty(type)) throw Fail("<event> has no type");
        if (time is null) throw Fail("<event> has no time");
        if (start is null) throw Fail("<event> has no start");
        if (stale is null) throw Fail("<event> has no stale");
        if (ConsumeEmptyTagEnd()) throw Fail("<event> has no <point>");

        CotPoint? point = null;
        CotDetail? detail = null;
        while (true)
        {
            var kind = NextContent(ref _ignoredText, collect: false);
            if (kind == ContentKind.EndTag)
            {
                ReadEndTag("event"u8);
                break;
            }

            // kind == StartTag: _pos is just after '<'
            var childStart = _pos - 1;
            var childName = ReadName();
            if (childName.SequenceEqual("point"u8))
            {
                if (point is not null) throw Fail("<event> has more than one <point>", childStart);
                point = ReadPoint();
            }
            else if (childName.SequenceEqual("detail"u8))
            {
                if (detail is not null) throw Fail("<event> has more than one <detail>", childStart);
                detail = ReadDetail();
            }
            else
            {
                // Not part of CoT 2.0's event; checked for well-formedness and dropped.
                ReadElementRest(childName, null, 2);
            }
        }

        if (point is null) throw Fail("<event> has no <point>");
        return new CotEvent
        {
            Version = version ?? "2.0",
            Uid = uid,
            Type = type,
            How = how ?? "",
            Time = time.Value,
            Start = start.Value,
            Stale = stale.Value,
            Access = access,
            Qos = qos,
            Opex = opex,
            Point = point.Value,
            Detail = detail ?? CotDetail.Empty,
        };
    }

    private readonly void Set(ref string? field, ReadOnlySpan<byte> raw, string attribute)
    {
        if (field is not null) throw Fail($"duplicate attribute '{attribute}' on <event>");
        field = DecodeAttribute(raw);
    }

    private readonly void SetTime(ref DateTime? field, ReadOnlySpan<byte> raw, string attribute, int valueStart)
    {
        if (field is not null) throw Fail($"duplicate attribute '{attribute}' on <event>");
        if (!CotTime.TryParse(raw, out var parsed))
            throw Fail($"invalid time '{Printable(raw)}' in attribute '{attribute}' of <event>", valueStart);
        field = parsed;
    }

    private CotPoint ReadPoint()
    {
        double? lat = null, lon = null, hae = null, ce = null, le = null;
        List<Range>? ignored = null;
        var attributeCount = 0;
        while (NextAttribute(ref attributeCount, out var name, out var raw, out var valueStart))
        {
            switch (name)
            {
                case var n when n.SequenceEqual("lat"u8): SetNumber(ref lat, raw, "lat", valueStart); break;
                case var n when n.SequenceEqual("lon"u8): SetNumber(ref lon, raw, "lon", valueStart); break;
                case var n when n.SequenceEqual("hae"u8): SetNumber(ref hae, raw, "hae", valueStart); break;
                case var n when n.SequenceEqual("ce"u8): SetNumber(ref ce, raw, "ce", valueStart); break;
                case var n when n.SequenceEqual("le"u8): SetNumber(ref le, raw, "le", valueStart); break;
                default: CheckIgnoredAttribute(ref ignored, name, raw, valueStart, "point"); break;
            }
        }

        if (lat is null) throw Fail("<point> has no lat");
        if (lon is null) throw Fail("<point> has no lon");
        if (lat is < -90 or > 90 || double.IsNaN(lat.Value)) throw Fail($"<point> lat {lat} is outside -90..90");
        if (lon is < -180 or > 180 || double.IsNaN(lon.Value)) throw Fail($"<point> lon {lon} is outside -180..180");
        if (!ConsumeEmptyTagEnd()) ReadElementRest("point"u8, null, 2, headerDone: true);
        return new CotPoint(lat.Value, lon.Value, hae ?? CotPoint.Unknown, ce ?? CotPoint.Unknown, le ?? CotPoint.Unknown);
    }

    private readonly void SetNumber(ref double? field, ReadOnlySpan<byte> raw, string attribute, int valueStart)
    {
        if (field is not null) throw Fail($"duplicate attribute '{attribute}' on <point>");
        if (!CotNumber.TryParse(raw, out var value))
            throw Fail($"<point> {attribute} '{Printable(raw)}' is not a number", valueStart);
        field = value;
    }

    /// <summary>
    /// An attribute of event, point or detail that CoT does not use: dropped, but checked like any other (no
    /// duplicates, valid references) so that only well-formed XML is accepted.
    /// </summary>
    private readonly void CheckIgnoredAttribute(ref List<Range>? seen, ReadOnlySpan<byte> name, ReadOnlySpan<byte> raw, int valueStart, string element)
    {
        var nameStart = _lastAttributeNameStart;
        if (seen is not null)
            foreach (var other in seen)
                if (_s[other].SequenceEqual(name))
                    throw Fail($"duplicate attribute '{Printable(name)}' on <{element}>", nameStart);
        (seen ??= new List<Range>(2)).Add(new Range(nameStart, nameStart + name.Length));
        CheckReferences(raw, valueStart);
    }

    /// <summary>Checks the entity and character references of an attribute value that is not decoded, without allocating.</summary>
    private static void CheckReferences(ReadOnlySpan<byte> raw, int valueStart)
    {
        Span<char> scratch = stackalloc char[2];
        var i = raw.IndexOf((byte)'&');
        while (i >= 0)
        {
            var semicolon = raw[i..].IndexOf((byte)';');
            if (semicolon < 0 || semicolon > 12)
                throw new CotFormatException("'&' must start an entity such as &amp; (no ';' found)", valueStart + i);
            DecodeEntity(raw.Slice(i + 1, semicolon - 1), scratch, valueStart + i);
            var next = raw[(i + semicolon + 1)..].IndexOf((byte)'&');
            i = next < 0 ? -1 : i + semicolon + 1 + next;
        }
    }

    /// <summary>
    /// Reads detail children with no <c>&lt;detail&gt;</c> wrapper up to the end of input: TAK Protocol's xmlDetail.
    /// </summary>
    public CotDetail ReadDetailFragment()
    {
        CheckControls(_s);
        _fragment = true;
        return ReadDetailChildren();
    }

    /// <summary>As <see cref="ReadDetailFragment()"/>, appending to a list the caller also fills (TAK Protocol's typed fields).</summary>
    public void ReadDetailFragment(ref ScratchList<DetailElement> elements)
    {
        CheckControls(_s);
        _fragment = true;
        ReadDetailChildren(ref elements);
    }

    private CotDetail ReadDetail()
    {
        var attributeCount = 0;
        List<Range>? ignored = null;
        while (NextAttribute(ref attributeCount, out var name, out var raw, out var valueStart))
            CheckIgnoredAttribute(ref ignored, name, raw, valueStart, "detail");

        return ConsumeEmptyTagEnd() ? CotDetail.Empty : ReadDetailChildren();
    }

    private CotDetail ReadDetailChildren()
    {
        var elements = new ScratchList<DetailElement>();
        try
        {
            ReadDetailChildren(ref elements);
            return elements.Count == 0 ? CotDetail.Empty : new CotDetail { Elements = elements.ToEquatableArray() };
        }
        finally
        {
            elements.Dispose();
        }
    }

    private void ReadDetailChildren(ref ScratchList<DetailElement> elements)
    {
        // Typed readers keep nothing of the node they read, so one node per thread serves every top-level element of
        // every event. Out of the slot while in use, so that a nested read could never share it.
        var node = t_spareNode;
        t_spareNode = null;
        try
        {
            ReadDetailChildren(ref elements, ref node);
        }
        finally
        {
            if (node is not null)
            {
                node.Reset("");
                t_spareNode = node;
            }
        }
    }

    [ThreadStatic]
    private static XmlNode? t_spareNode;

    private void ReadDetailChildren(ref ScratchList<DetailElement> elements, ref XmlNode? node)
    {
        while (true)
        {
            var kind = NextContent(ref _ignoredText, collect: false);
            if (kind == ContentKind.EndOfInput) break;
            if (kind == ContentKind.EndTag)
            {
                if (_fragment) throw Fail("end tag without a start tag in detail");
                ReadEndTag("detail"u8);
                break;
            }

            var start = _pos - 1;
            var name = ReadName();
            var nameText = Intern(name);
            if (DetailElementReaders.TryGet(nameText, out var reader))
            {
                node ??= new XmlNode(nameText);
                node.Reset(nameText);
                ReadElementRest(name, node, 3);
                elements.Add(reader(node));
            }
            else
            {
                ReadElementRest(name, null, 3);
                elements.Add(new OpaqueElement(nameText, Encoding.UTF8.GetString(_s[start.._pos])));
            }
        }
    }

    /// <summary>
    /// Reads the attributes and content of an element whose name has been read, through its end tag.
    /// With a node, attributes, text and children are collected; without, they are only checked.
    /// </summary>
    private void ReadElementRest(ReadOnlySpan<byte> name, XmlNode? node, int depth, bool headerDone = false)
    {
        if (depth > _limits.MaxDepth)
            throw Fail($"elements nested deeper than {_limits.MaxDepth} at <{Printable(name)}>");
        if (!headerDone)
        {
            var attributeCount = 0;
            // Name positions of this element's attributes, to refuse duplicates as every XML parser must.
            Span<Range> seen = stackalloc Range[16];
            Range[]? rented = null;
            try
            {
                while (NextAttribute(ref attributeCount, out var attrName, out var raw, out var valueStart))
                {
                    if (attributeCount > seen.Length)
                    {
                        var bigger = ArrayPool<Range>.Shared.Rent(seen.Length * 2);
                        seen.CopyTo(bigger);
                        if (rented is not null) ArrayPool<Range>.Shared.Return(rented);
                        rented = bigger;
                        seen = bigger;
                    }

                    var nameStart = _lastAttributeNameStart;
                    for (var i = 0; i < attributeCount - 1; i++)
                        if (_s[seen[i]].SequenceEqual(attrName))
                            throw Fail($"duplicate attribute '{Printable(attrName)}' on <{Printable(name)}>", nameStart);
                    seen[attributeCount - 1] = new Range(nameStart, nameStart + attrName.Length);
                    // Unknown elements are relayed verbatim: their values are not decoded, but must still be valid.
                    if (node is null) CheckReferences(raw, valueStart);
                    else node.Attributes.Add(new CotAttribute(Intern(attrName), DecodeAttribute(raw)));
                }
            }
            finally
            {
                if (rented is not null) ArrayPool<Range>.Shared.Return(rented);
            }

            if (ConsumeEmptyTagEnd()) return;
        }

        string? text = null;
        var hasChildren = false;
        while (true)
        {
            var kind = NextContent(ref text, collect: node is not null);
            if (kind == ContentKind.EndOfInput) throw Fail($"unexpected end of input: <{Printable(name)}> is not closed");
            if (kind == ContentKind.EndTag)
            {
                ReadEndTag(name);
                break;
            }

            var childStart = _pos - 1;
            var childName = ReadName();
            hasChildren = true;
            if (node is null)
            {
                ReadElementRest(childName, null, depth + 1);
                continue;
            }

            var child = new XmlNode(Intern(childName));
            ReadElementRest(childName, child, depth + 1);
            child.RawXml = Encoding.UTF8.GetString(_s[childStart.._pos]);
            (node.Children ??= new List<XmlNode>(2)).Add(child);
        }

        if (node is not null)
            node.Text = hasChildren && string.IsNullOrWhiteSpace(text) ? null : text;
    }

    private enum ContentKind
    {
        StartTag,
        EndTag,

        /// <summary>Only in fragment mode, at the top level.</summary>
        EndOfInput,
    }

    /// <summary>
    /// Skips or collects character data, comments, CDATA and processing instructions up to the next start tag
    /// (returns with _pos after '&lt;') or end tag (returns with _pos after '&lt;/').
    /// </summary>
    private ContentKind NextContent(ref string? text, bool collect)
    {
        while (true)
        {
            if (_pos >= _s.Length) return EndOfInput();
            var rest = _s[_pos..];
            var stop = rest.IndexOfAny(TextStops);
            if (stop < 0)
            {
                if (_fragment && !collect) Decode(rest, attribute: false, _pos);
                if (_fragment) CheckCharacterData(rest, _pos);
                _pos = _s.Length;
                return EndOfInput();
            }

            if (rest[stop] == (byte)'&')
            {
                // Text with entities: decode the whole run up to the next markup.
                var lt = rest.IndexOf((byte)'<');
                if (lt < 0) lt = rest.Length;
                CheckCharacterData(rest[..lt], _pos);
                var decoded = Decode(rest[..lt], attribute: false, _pos);
                if (collect) text = text is null ? decoded : text + decoded;
                _pos += lt;
                continue;
            }

            if (stop > 0)
            {
                CheckCharacterData(rest[..stop], _pos);
                if (collect)
                {
                    var plain = Decode(rest[..stop], attribute: false, _pos);
                    text = text is null ? plain : text + plain;
                }

                _pos += stop;
                rest = rest[stop..];
            }

            // rest starts with '<'
            if (rest.Length < 2) throw Fail("unexpected end of input: an element is not closed");
            switch (rest[1])
            {
                case (byte)'/':
                    _pos += 2;
                    return ContentKind.EndTag;
                case (byte)'?':
                    // The target "xml" is reserved for the declaration at the very start (XML 1.0 §2.6, §2.8).
                    if (rest.Length > 5 && Ascii.EqualsIgnoreCase(rest[2..5], "xml"u8) && (IsWhitespace(rest[5]) || rest[5] == (byte)'?'))
                        throw Fail("XML declaration inside an element");
                    SkipProcessingInstruction();
                    continue;
                case (byte)'!':
                    if (rest.StartsWith("<!--"u8))
                    {
                        SkipComment();
                        continue;
                    }

                    if (rest.StartsWith("<![CDATA["u8))
                    {
                        var body = rest[9..];
                        var end = body.IndexOf("]]>"u8);
                        if (end < 0) throw Fail("unterminated CDATA section");
                        if (collect)
                        {
                            var cdata = Encoding.UTF8.GetString(body[..end]);
                            text = text is null ? cdata : text + cdata;
                        }

                        _pos += 9 + end + 3;
                        continue;
                    }

                    throw Fail(rest.StartsWith("<!DOCTYPE"u8) || rest.StartsWith("<!ENTITY"u8)
                        ? "DTDs are not allowed in CoT (DOCTYPE/ENTITY found)"
                        : "unexpected '<!' markup");
                default:
                    _pos += 1;
                    return ContentKind.StartTag;
            }
        }
    }

    /// <summary>"]]&gt;" may only close a CDATA section (XML 1.0 §2.4); unknown elements are relayed verbatim, so refuse it.</summary>
    private static void CheckCharacterData(ReadOnlySpan<byte> run, int offset)
    {
        var bad = run.IndexOf("]]>"u8);
        if (bad >= 0) throw new CotFormatException("']]>' is not allowed in text outside a CDATA section", offset + bad);
    }

    private readonly ContentKind EndOfInput() =>
        _fragment ? ContentKind.EndOfInput : throw Fail("unexpected end of input: an element is not closed");

    /// <summary>Whitespace, comments, processing instructions and the XML declaration around the root element.</summary>
    private void SkipMisc(bool allowDeclaration)
    {
        while (true)
        {
            SkipWhitespace();
            var rest = _s[_pos..];
            if (rest.StartsWith("<?"u8))
            {
                var isDeclaration = rest.Length > 5 && rest[..5].SequenceEqual("<?xml"u8) && IsWhitespace(rest[5]);
                if (isDeclaration && !allowDeclaration) throw Fail("XML declaration after the root element");
                allowDeclaration = false;
                SkipProcessingInstruction();
                continue;
            }

            allowDeclaration = false;
            if (rest.StartsWith("<!--"u8))
            {
                SkipComment();
                continue;
            }

            if (rest.StartsWith("<!"u8))
                throw Fail(rest.StartsWith("<!DOCTYPE"u8)
                    ? "DTDs are not allowed in CoT (DOCTYPE found); refusing to process entities or external references"
                    : "unexpected '<!' markup");
            return;
        }
    }

    private void SkipComment()
    {
        // "--" may only close a comment (XML 1.0 §2.5).
        var end = _s[(_pos + 4)..].IndexOf("--"u8);
        if (end < 0 || _pos + 4 + end + 2 >= _s.Length) throw Fail("unterminated comment");
        if (_s[_pos + 4 + end + 2] != (byte)'>') throw Fail("'--' is not allowed inside a comment", _pos + 4 + end);
        _pos += 4 + end + 3;
    }

    private void SkipProcessingInstruction()
    {
        var end = _s[(_pos + 2)..].IndexOf("?>"u8);
        if (end < 0) throw Fail("unterminated processing instruction");
        _pos += 2 + end + 2;
    }

    private bool SkipWhitespace()
    {
        var start = _pos;
        while (_pos < _s.Length && IsWhitespace(_s[_pos])) _pos++;
        return _pos > start;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private readonly bool At(byte b) => _pos < _s.Length && _s[_pos] == b;

    private ReadOnlySpan<byte> ReadName()
    {
        var start = _pos;
        if (_pos >= _s.Length) throw Fail("unexpected end of input where a name was expected");
        if (!IsNameStart(_s[_pos])) throw Fail($"invalid character '{Printable(_s.Slice(_pos, 1))}' where a name was expected");
        _pos++;
        while (_pos < _s.Length && IsNameChar(_s[_pos])) _pos++;
        return _s[start.._pos];
    }

    private static bool IsNameStart(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)':' or >= 0x80;

    private static bool IsNameChar(byte b) => IsNameStart(b) || b is >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.';

    /// <summary>Reads the next attribute of a start tag; false at '&gt;' or '/&gt;' (not consumed).</summary>
    private bool NextAttribute(ref int count, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> rawValue, out int valueStart)
    {
        var hadSpace = SkipWhitespace();
        if (_pos >= _s.Length) throw Fail("unexpected end of input inside a tag");
        var c = _s[_pos];
        if (c is (byte)'/' or (byte)'>')
        {
            name = default;
            rawValue = default;
            valueStart = _pos;
            return false;
        }

        if (!hadSpace) throw Fail("expected whitespace before an attribute");
        _lastAttributeNameStart = _pos;
        name = ReadName();
        SkipWhitespace();
        if (!At((byte)'=')) throw Fail($"attribute '{Printable(name)}' has no '='");
        _pos++;
        SkipWhitespace();
        if (_pos >= _s.Length) throw Fail("unexpected end of input inside a tag");
        var quote = _s[_pos];
        if (quote is not ((byte)'"' or (byte)'\'')) throw Fail($"value of attribute '{Printable(name)}' is not quoted");
        _pos++;
        valueStart = _pos;
        var end = _s[_pos..].IndexOf(quote);
        if (end < 0) throw Fail($"value of attribute '{Printable(name)}' is not terminated");
        rawValue = _s.Slice(_pos, end);
        if (rawValue.IndexOf((byte)'<') is var lt and >= 0) throw Fail("'<' is not allowed in an attribute value", _pos + lt);
        _pos += end + 1;
        if (++count > _limits.MaxAttributes) throw Fail($"more than {_limits.MaxAttributes} attributes on one element");
        return true;
    }

    /// <summary>After the attributes: true for '/&gt;' (element done), false for '&gt;' (content follows).</summary>
    private bool ConsumeEmptyTagEnd()
    {
        if (At((byte)'>'))
        {
            _pos++;
            return false;
        }

        if (_pos + 1 < _s.Length && _s[_pos] == (byte)'/' && _s[_pos + 1] == (byte)'>')
        {
            _pos += 2;
            return true;
        }

        throw Fail("malformed tag end");
    }

    private void ReadEndTag(ReadOnlySpan<byte> expected)
    {
        var start = _pos - 2;
        var name = ReadName();
        if (!name.SequenceEqual(expected))
            throw Fail($"end tag </{Printable(name)}> does not match <{Printable(expected)}>", start);
        SkipWhitespace();
        if (!At((byte)'>')) throw Fail($"malformed end tag </{Printable(name)}>");
        _pos++;
    }

    private readonly string DecodeAttribute(ReadOnlySpan<byte> raw) => Decode(raw, attribute: true, _pos);

    /// <summary>
    /// Decodes character data: the five predefined entities and character references, XML line-end handling
    /// (CR LF and lone CR become LF) and, in attributes, whitespace normalisation (tab, CR, LF become a space).
    /// </summary>
    private readonly string Decode(ReadOnlySpan<byte> raw, bool attribute, int offset)
    {
        var special = attribute ? raw.IndexOfAny(AttributeSpecials) : raw.IndexOfAny(TextSpecials);
        if (special < 0) return raw.Length <= CotNameCache.MaxLength ? CotNameCache.Get(raw) : Encoding.UTF8.GetString(raw);

        var chars = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var written = 0;
            var i = 0;
            while (i < raw.Length)
            {
                var next = attribute ? raw[i..].IndexOfAny(AttributeSpecials) : raw[i..].IndexOfAny(TextSpecials);
                if (next < 0)
                {
                    written += Encoding.UTF8.GetChars(raw[i..], chars.AsSpan(written));
                    break;
                }

                written += Encoding.UTF8.GetChars(raw.Slice(i, next), chars.AsSpan(written));
                i += next;
                var b = raw[i];
                if (b == (byte)'&')
                {
                    var semicolon = raw[i..].IndexOf((byte)';');
                    if (semicolon < 0 || semicolon > 12)
                        throw new CotFormatException("'&' must start an entity such as &amp; (no ';' found)", offset + i);
                    written += DecodeEntity(raw.Slice(i + 1, semicolon - 1), chars.AsSpan(written), offset + i);
                    i += semicolon + 1;
                }
                else if (b == (byte)'\r')
                {
                    chars[written++] = attribute ? ' ' : '\n';
                    i += i + 1 < raw.Length && raw[i + 1] == (byte)'\n' ? 2 : 1;
                }
                else
                {
                    chars[written++] = ' ';
                    i++;
                }
            }

            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static readonly SearchValues<byte> AttributeSpecials = SearchValues.Create("&\r\n\t"u8);
    private static readonly SearchValues<byte> TextSpecials = SearchValues.Create("&\r"u8);

    private static int DecodeEntity(ReadOnlySpan<byte> name, Span<char> destination, int offset)
    {
        switch (name)
        {
            case var n when n.SequenceEqual("lt"u8): destination[0] = '<'; return 1;
            case var n when n.SequenceEqual("gt"u8): destination[0] = '>'; return 1;
            case var n when n.SequenceEqual("amp"u8): destination[0] = '&'; return 1;
            case var n when n.SequenceEqual("quot"u8): destination[0] = '"'; return 1;
            case var n when n.SequenceEqual("apos"u8): destination[0] = '\''; return 1;
        }

        if (name.Length >= 2 && name[0] == (byte)'#')
        {
            var hex = name[1] == (byte)'x';
            var digits = name[(hex ? 2 : 1)..];
            var value = 0;
            var ok = digits.Length is > 0 and <= 7;
            foreach (var d in digits)
            {
                if (!ok) break;
                int digit = d switch
                {
                    >= (byte)'0' and <= (byte)'9' => d - '0',
                    >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                    >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                    _ => -1,
                };
                ok = digit >= 0;
                value = value * (hex ? 16 : 10) + digit;
            }

            // XML 1.0 Char production: a reference may not name a character the document could not contain.
            if (ok && (value is 0x9 or 0xA or 0xD || value is >= 0x20 and <= 0xD7FF || value is >= 0xE000 and <= 0xFFFD ||
                       value is >= 0x10000 and <= 0x10FFFF))
                return new System.Text.Rune(value).EncodeToUtf16(destination);
            throw new CotFormatException($"invalid character reference '&{Encoding.UTF8.GetString(name)};'", offset);
        }

        throw new CotFormatException(
            $"undefined entity '&{Printable(name)};' (only &lt; &gt; &amp; &quot; &apos; and character references; DTDs are refused)",
            offset);
    }

    private readonly CotFormatException Fail(string message, int? at = null) => new(message, at ?? _pos);

    private static string Intern(ReadOnlySpan<byte> name) =>
        name.Length <= CotNameCache.MaxLength ? CotNameCache.Get(name) : Encoding.UTF8.GetString(name);

    private static string Printable(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw.Length > 48 ? raw[..48] : raw);
        return raw.Length > 48 ? text + "…" : text;
    }
}
