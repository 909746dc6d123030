using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Envelopes;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>The envelope layer: MessagePack envelopes to bytes going down; bytes that are not an envelope coming up are counted and dropped.</summary>
public static class Envelopes
{
    public static BidiFlow<MeshEnvelope, byte[], byte[], MeshEnvelope, NotUsed> Create(MeshCounters counters) =>
        BidiFlow.FromFlows(
            Flow.Create<MeshEnvelope>().Select(MeshEnvelopeCodec.ToBytes),
            Flow.Create<byte[]>().Select(bytes => Decode(bytes, counters)).Where(e => e is not null).Select(e => e!));

    private static MeshEnvelope? Decode(byte[] bytes, MeshCounters counters)
    {
        try
        {
            return MeshEnvelopeCodec.Read(bytes);
        }
        catch (MeshFormatException e)
        {
            counters.Drop(e.Reason);
            return null;
        }
    }
}
