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
            // Stream elements may not be null: bytes that are not an envelope become no element at all.
            Flow.Create<byte[]>().SelectMany(bytes => Decode(bytes, counters)));

    private static MeshEnvelope[] Decode(byte[] bytes, MeshCounters counters)
    {
        try
        {
            return [MeshEnvelopeCodec.Read(bytes)];
        }
        catch (MeshFormatException e)
        {
            counters.Drop(e.Reason);
            return [];
        }
    }
}
