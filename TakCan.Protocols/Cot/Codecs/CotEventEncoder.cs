using System.Buffers;
using Google.Protobuf;
using TakCan.Protocols.Cot.Json;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Protocols.Cot.Codecs;

/// <summary>Writes events in one of TAK Can's encodings, each self-delimiting where the encoding allows.</summary>
public sealed class CotEventEncoder
{
    private readonly CotEncoding _encoding;
    private readonly TakFraming _framing;

    public CotEventEncoder(CotEncoding encoding, TakFraming framing = TakFraming.Stream)
    {
        _encoding = encoding;
        _framing = framing;
    }

    /// <summary>
    /// XML: declaration, event and a newline (what a TCP reader and a person both handle). Proto: the TakMessage with
    /// the chosen framing. JSON: one line.
    /// </summary>
    public void Write(CotEvent evt, IBufferWriter<byte> output)
    {
        switch (_encoding)
        {
            case CotEncoding.Xml:
                CotXmlWriter.Write(evt, output);
                output.Write("\n"u8);
                break;
            case CotEncoding.Proto:
                var message = TakMessageConverter.ToTakMessage(evt);
                switch (_framing)
                {
                    case TakFraming.Stream:
                        TakMessageCodec.WriteStream(output, message);
                        break;
                    case TakFraming.Mesh:
                        output.Write(TakMessageCodec.EncodeMesh(message));
                        break;
                    default:
                        output.Write(message.ToByteArray());
                        break;
                }

                break;
            case CotEncoding.Json:
                CotJson.WriteLine(evt, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(evt), _encoding, "unknown encoding");
        }
    }
}
