using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Builders;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Servers;

/// <summary>
/// Turns the bytes of one server connection into events: CoT XML split after <c>&lt;/event&gt;</c> until the server
/// accepts TAK protocol, then <c>0xBF &lt;length&gt; &lt;TakMessage&gt;</c> frames. The switch happens exactly after the
/// accepting <c>t-x-takp-r</c>, even when the first frame arrives in the same read (specs/server-links.md, "Framing").
/// </summary>
/// <remarks>
/// A bad event is reported as <see cref="Item.Bad"/> and skipped: XML events are self-delimiting. Broken TAK
/// protocol framing has no resynchronisation point, so <see cref="Feed"/> throws <see cref="CotFormatException"/>
/// and the connection must be dropped.
/// </remarks>
internal sealed class ServerStreamReader
{
    private readonly CotXmlLimits _limits;
    private readonly int _maxTakMessageBytes;
    private readonly CotXmlStreamSplitter _splitter;
    private TakStreamDecoder? _frames;

    public ServerStreamReader(CotXmlLimits limits, int maxTakMessageBytes)
    {
        _limits = limits;
        _maxTakMessageBytes = maxTakMessageBytes;
        _splitter = new CotXmlStreamSplitter(limits);
    }

    public ServerFraming Framing => _frames is null ? ServerFraming.Xml : ServerFraming.TakProtocol;

    /// <summary>Set when the request has gone out: the next <c>t-x-takp-r</c> decides the framing.</summary>
    public bool AwaitingResponse { get; set; }

    /// <exception cref="CotFormatException">TAK protocol framing is broken; the stream cannot be read further.</exception>
    public void Feed(ReadOnlySpan<byte> chunk, List<Item> items)
    {
        if (_frames is not null)
        {
            FeedFrames(chunk, items);
            return;
        }

        if (!AwaitingResponse)
        {
            _splitter.Feed(chunk);
            DrainXml(items);
            return;
        }

        // The accepting response may be followed in the same read by the first frame. Fed up to each '>', the
        // splitter completes the response at the end of a piece and holds nothing after it.
        while (!chunk.IsEmpty)
        {
            var close = chunk.IndexOf((byte)'>');
            var piece = close < 0 ? chunk : chunk[..(close + 1)];
            chunk = chunk[piece.Length..];
            _splitter.Feed(piece);
            if (DrainXml(items))
            {
                FeedFrames(chunk, items);
                return;
            }
        }
    }

    // True when an accepting response switched the stream to TAK protocol.
    private bool DrainXml(List<Item> items)
    {
        while (true)
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                if (!_splitter.TryRead(out bytes)) return false;
            }
            catch (CotFormatException e)
            {
                items.Add(new Item.Bad(e.Message));
                continue;
            }

            CotEvent evt;
            try
            {
                evt = CotXmlReader.Read(bytes.Span, _limits);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The XML reader promises CotFormatException; anything else it throws on a server's bytes is still
                // that server's bad event, not a reason to drop the link.
                items.Add(new Item.Bad(Describe(e)));
                continue;
            }

            if (AwaitingResponse && TakProtocolNegotiation.TryReadResponse(evt, out var accepted))
            {
                AwaitingResponse = false;
                items.Add(new Item.Answered(accepted));
                if (!accepted) continue;
                _frames = new TakStreamDecoder(_maxTakMessageBytes);
                return true;
            }

            items.Add(new Item.Event(evt));
        }
    }

    private void FeedFrames(ReadOnlySpan<byte> chunk, List<Item> items) =>
        _frames!.Feed(chunk, payload =>
        {
            try
            {
                var message = TakMessageCodec.Parse(payload.Span);
                // A TakControl alone (or an empty message) is valid framing and carries no event.
                if (message.CotEvent is null) return;
                items.Add(new Item.Event(TakMessageConverter.ToCotEvent(message, _limits)));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                items.Add(new Item.Bad(Describe(e)));
            }
        });

    private static string Describe(Exception e) => e is CotFormatException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    /// <summary>What one read produced, in stream order.</summary>
    public abstract record Item
    {
        private Item()
        {
        }

        public sealed record Event(CotEvent Cot) : Item;

        /// <summary>An event that could not be read; the stream goes on after it.</summary>
        public sealed record Bad(string Reason) : Item;

        /// <summary>The server answered the TAK protocol request; when accepted, the stream has switched already.</summary>
        public sealed record Answered(bool Accepted) : Item;
    }
}
