using System.Buffers;
using TakCan.Protocols.Cot.Json;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Cot.Codecs;

/// <summary>
/// Turns bytes arriving in any order of chunks (a socket, stdin, a file) into CoT events, one result per event.
/// A bad event is reported with its index and skipped; the events around it still come out. Only a broken
/// TAK streaming header ends decoding, because the message boundaries after it are lost.
/// </summary>
public sealed class CotEventDecoder
{
    private readonly CotEncoding _encoding;
    private readonly TakFraming _framing;
    private readonly CotXmlLimits _limits;
    private readonly CotXmlStreamSplitter? _xml;
    private readonly TakStreamDecoder? _stream;
    private readonly ArrayBufferWriter<byte>? _whole;
    private readonly CotJsonLineSplitter? _json;
    private int _index;
    private bool _oversized;

    public CotEventDecoder(CotEncoding encoding, TakFraming framing = TakFraming.Stream, CotXmlLimits? limits = null)
    {
        _encoding = encoding;
        _framing = framing;
        _limits = limits ?? CotXmlLimits.Default;
        switch (encoding)
        {
            case CotEncoding.Xml:
                _xml = new CotXmlStreamSplitter(_limits);
                break;
            case CotEncoding.Proto when framing == TakFraming.Stream:
                _stream = new TakStreamDecoder(_limits.MaxEventBytes);
                break;
            case CotEncoding.Proto:
                _whole = new ArrayBufferWriter<byte>();
                break;
            case CotEncoding.Json:
                _json = new CotJsonLineSplitter(_limits.MaxEventBytes);
                break;
        }
    }

    /// <summary>True once a streaming header was broken: nothing after it can be decoded.</summary>
    public bool IsFaulted { get; private set; }

    public IReadOnlyList<CotDecodeResult> Feed(ReadOnlySpan<byte> chunk)
    {
        var results = new List<CotDecodeResult>();
        if (IsFaulted || chunk.IsEmpty) return results;
        switch (_encoding)
        {
            case CotEncoding.Xml:
                _xml!.Feed(chunk);
                DrainXml(results);
                break;
            case CotEncoding.Proto when _stream is not null:
                try
                {
                    _stream.Feed(chunk, payload => results.Add(DecodeProto(payload.Span)));
                }
                catch (CotFormatException e)
                {
                    IsFaulted = true;
                    results.Add(new CotDecodeResult(_index++, null, e));
                }

                break;
            case CotEncoding.Proto:
                if (_whole!.WrittenCount + chunk.Length > _limits.MaxEventBytes) _oversized = true;
                else _whole.Write(chunk);
                break;
            case CotEncoding.Json:
                foreach (var line in _json!.Feed(chunk)) results.Add(DecodeJson(line));
                break;
        }

        return results;
    }

    /// <summary>End of input: decodes what was held back and reports a cut-off last event.</summary>
    public IReadOnlyList<CotDecodeResult> Complete()
    {
        var results = new List<CotDecodeResult>();
        if (IsFaulted) return results;
        switch (_encoding)
        {
            case CotEncoding.Xml:
                try
                {
                    _xml!.Complete();
                }
                catch (CotFormatException e)
                {
                    results.Add(new CotDecodeResult(_index++, null, e));
                }

                break;
            case CotEncoding.Proto when _stream is not null:
                try
                {
                    _stream.Complete();
                }
                catch (CotFormatException e)
                {
                    results.Add(new CotDecodeResult(_index++, null, e));
                }

                break;
            case CotEncoding.Proto:
                if (_oversized)
                {
                    results.Add(new CotDecodeResult(_index++, null,
                        new CotFormatException($"TAK message larger than the limit of {_limits.MaxEventBytes} bytes")));
                }
                else if (_whole!.WrittenCount > 0)
                {
                    var bytes = _whole.WrittenSpan;
                    if (_framing == TakFraming.Mesh)
                    {
                        try
                        {
                            var payload = TakProtocolFraming.DecodeMesh(bytes, out _);
                            results.Add(DecodeProto(payload));
                        }
                        catch (CotFormatException e)
                        {
                            results.Add(new CotDecodeResult(_index++, null, e));
                        }
                    }
                    else
                    {
                        results.Add(DecodeProto(bytes));
                    }
                }

                break;
            case CotEncoding.Json:
                foreach (var line in _json!.Complete()) results.Add(DecodeJson(line));
                break;
        }

        return results;
    }

    private void DrainXml(List<CotDecodeResult> results)
    {
        while (true)
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                if (!_xml!.TryRead(out bytes)) return;
            }
            catch (CotFormatException e)
            {
                results.Add(new CotDecodeResult(_index++, null, e));
                continue;
            }

            var index = _index++;
            try
            {
                results.Add(new CotDecodeResult(index, CotXmlReader.Read(bytes.Span, _limits), null));
            }
            catch (CotFormatException e)
            {
                results.Add(new CotDecodeResult(index, null, e));
            }
        }
    }

    private CotDecodeResult DecodeProto(ReadOnlySpan<byte> payload)
    {
        var index = _index++;
        try
        {
            return new CotDecodeResult(index, TakMessageConverter.ToCotEvent(TakMessageCodec.Parse(payload), _limits), null);
        }
        catch (CotFormatException e)
        {
            return new CotDecodeResult(index, null, e);
        }
    }

    private CotDecodeResult DecodeJson(CotJsonLine line)
    {
        // The JSON reader names the line and field in its errors; the index stays the decoder's own.
        var item = CotJson.Decode(line);
        return new CotDecodeResult(_index++, item.Event, item.Error);
    }
}
