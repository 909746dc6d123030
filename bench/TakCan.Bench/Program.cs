using BenchmarkDotNet.Running;
using Google.Protobuf;
using TakCan.Bench;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

// `-- --write-proto <path>` writes self-sa.xml as TakMessage bytes, the input of ../node-cot's decode benchmark.
if (args is ["--write-proto", var path])
{
    var message = TakMessageConverter.ToTakMessage(CotXmlReader.Read(SelfSaSample.Utf8Xml()));
    File.WriteAllBytes(path, message.ToByteArray());
    Console.WriteLine($"wrote {message.CalculateSize()} bytes to {path}");
    return 0;
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(SelfSaBenchmarks).Assembly).Run(args);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
