namespace TakCan.Actors.Device;

/// <summary>Where an event entered the device; contacts show it, the bridge decides by it.</summary>
/// <param name="Name">Transport or server name, feed name, "self".</param>
/// <param name="Hops">Mesh hops the event travelled (0 = from a neighbour), when it came over the mesh.</param>
/// <param name="Node">The mesh origin node id (hex), when it came over the mesh.</param>
public sealed record CotSource(CotSourceKind Kind, string Name, int? Hops = null, string? Node = null)
{
    public static CotSource Self { get; } = new(CotSourceKind.Self, "self");
}
