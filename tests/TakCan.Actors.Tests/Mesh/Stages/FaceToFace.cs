using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Akka.TestKit;

namespace TakCan.Actors.Tests.Mesh.Stages;

/// <summary>
/// Two instances of one protocol layer facing each other across a <see cref="Wire"/>, as the same layer of two
/// devices' stacks meets on a link, with probes on both devices' sides: what A's device sends comes out at B's.
/// </summary>
/// <remarks>
/// Wired port by port rather than with <c>a.Atop(wire).Atop(b.Reversed())</c>: in Akka.Streams 1.5.74
/// <c>Reversed()</c> silently leaves a BidiFlow made from a GraphStage as it was, which fed B's wire side from above.
/// </remarks>
internal static class FaceToFace
{
    public static Ends<T> Run<T>(TestKitBase kit, BidiFlow<T, byte[], byte[], T, NotUsed> a, Wire wire, BidiFlow<T, byte[], byte[], T, NotUsed> b) =>
        RunnableGraph.FromGraph(GraphDsl.Create(kit.SourceProbe<T>(), kit.SinkProbe<T>(), kit.SourceProbe<T>(), kit.SinkProbe<T>(),
            (aIn, aOut, bIn, bOut) => new Ends<T>(aIn, aOut, bIn, bOut),
            (builder, aIn, aOut, bIn, bOut) =>
            {
                var layerA = builder.Add(a);
                var air = builder.Add(wire.Flow);
                var layerB = builder.Add(b);
                builder.From(aIn).To(layerA.Inlet1);
                builder.From(layerA.Outlet1).To(air.Inlet1);
                builder.From(air.Outlet1).To(layerB.Inlet2);
                builder.From(layerB.Outlet2).To(bOut);
                builder.From(bIn).To(layerB.Inlet1);
                builder.From(layerB.Outlet1).To(air.Inlet2);
                builder.From(air.Outlet2).To(layerA.Inlet2);
                builder.From(layerA.Outlet2).To(aOut);
                return ClosedShape.Instance;
            })).Run(kit.Sys.Materializer());

    /// <summary>The device-side probes: what each device sends down (In) and what its layer delivers up (Out).</summary>
    public sealed record Ends<T>(TestPublisher.Probe<T> AIn, TestSubscriber.Probe<T> AOut, TestPublisher.Probe<T> BIn, TestSubscriber.Probe<T> BOut);
}
