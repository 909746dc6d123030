using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// The seal layer of a broadcast medium, where one transmission reaches every neighbour in range and there is
/// no pairwise handshake: frames are sealed under the team's group key, with a replay window per sender.
/// </summary>
public static class GroupSecurity
{
    /// <param name="team">This node's team with the team filter on; null for the mission-wide key.</param>
    public static BidiFlow<byte[], byte[], byte[], byte[], NotUsed> Create(MeshKeyRing keys, string? team, MeshCounters counters)
    {
        var cipher = new GroupCipher(keys, team);
        return BidiFlow.FromFlows(
            Flow.Create<byte[]>().Select(envelope =>
            {
                counters.FrameSent();
                return cipher.Seal(envelope);
            }),
            // Stream elements may not be null: a dropped frame becomes no element at all.
            Flow.Create<byte[]>().SelectMany(frame =>
            {
                counters.FrameReceived();
                if (cipher.TryOpen(frame, out var envelope, out var reason)) return [envelope];
                counters.Drop(reason);
                return Array.Empty<byte[]>();
            }));
    }
}
