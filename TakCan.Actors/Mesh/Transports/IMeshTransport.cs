using Akka;
using Akka.Streams.Dsl;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// A way to reach neighbours: UDP (LAN/WiFi, or processes on one machine), a simulated radio, or BLE on a phone.
/// It yields links as they appear (configured peers, discovery, incoming contact) and knows nothing of keys
/// beyond what discovery needs.
/// </summary>
public interface IMeshTransport : IDisposable
{
    string Name { get; }

    /// <summary>Links to neighbours, as they appear. Materialized once by the mesh.</summary>
    Source<MeshLinkOffer, NotUsed> Links { get; }
}
