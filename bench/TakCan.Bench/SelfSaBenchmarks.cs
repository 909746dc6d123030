using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Google.Protobuf;
using TakCan.Protocols.Cot;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;
using Wire = TakCan.Protocols.TakProto.Wire;

namespace TakCan.Bench;

/// <summary>
/// One self-SA event through each codec path. Every benchmark handles exactly one event, so events/s per core
/// is 1e9 / mean (the Events/s/core column) and Allocated is bytes per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class SelfSaBenchmarks
{
    private byte[] _xml = [];
    private CotEvent _event = null!;
    private byte[] _takMessage = [];
    private readonly ArrayBufferWriter<byte> _xmlOutput = new(2048);
    private readonly byte[] _protoOutput = new byte[2048];

    [GlobalSetup]
    public void Setup()
    {
        _xml = SelfSaSample.Utf8Xml();
        _event = CotXmlReader.Read(_xml);
        _takMessage = TakMessageConverter.ToTakMessage(_event).ToByteArray();

        // A benchmark of a path that silently loses data would measure the wrong thing. The typed detail fields come
        // back ahead of the xmlDetail ones, so compare the elements regardless of order.
        var decoded = TakMessageConverter.Decode(_takMessage);
        if (decoded with { Detail = CotDetail.Empty } != _event with { Detail = CotDetail.Empty } ||
            !SameElements(decoded.Detail, _event.Detail))
            throw new InvalidOperationException("self-sa.xml does not survive CotEvent -> TakMessage -> CotEvent");
    }

    [Benchmark(Description = "XmlParse: UTF-8 XML -> CotEvent")]
    public CotEvent XmlParse() => CotXmlReader.Read(_xml);

    [Benchmark(Description = "XmlWrite: CotEvent -> UTF-8 XML")]
    public int XmlWrite()
    {
        _xmlOutput.ResetWrittenCount();
        CotXmlWriter.Write(_event, _xmlOutput);
        return _xmlOutput.WrittenCount;
    }

    [Benchmark(Description = "ProtoEncode: CotEvent -> TakMessage bytes")]
    public int ProtoEncode()
    {
        var message = TakMessageConverter.ToTakMessage(_event);
        var size = message.CalculateSize();
        message.WriteTo(_protoOutput.AsSpan(0, size));
        return size;
    }

    [Benchmark(Description = "ProtoDecode: TakMessage bytes -> CotEvent")]
    public CotEvent ProtoDecode() => TakMessageConverter.Decode(_takMessage);

    [Benchmark(Description = "ProtoDecodeWireOnly: bytes -> TakMessage")]
    public Wire.TakMessage ProtoDecodeWireOnly() => TakMessageCodec.Parse(_takMessage);

    // Only here, not in Program: the column means "events" for these benchmarks alone.
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new EventsPerSecondColumn());
    }

    private static bool SameElements(CotDetail a, CotDetail b) =>
        a.Elements.Count == b.Elements.Count && a.Elements.All(b.Elements.Contains);
}
