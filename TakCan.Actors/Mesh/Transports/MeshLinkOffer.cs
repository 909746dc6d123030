using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// A neighbour a transport can reach, as a duplex byte flow: frames pushed in are sent to it, frames it sends come
/// out. The mesh authenticates the link before trusting anything on it.
/// </summary>
/// <param name="Description">For logs and status only (e.g. "udp 127.0.0.1:17100"); never sent anywhere.</param>
public sealed record MeshLinkOffer(string Transport, string Description, MeshMedium Medium, int Mtu, Flow<byte[], byte[], NotUsed> Connection);
