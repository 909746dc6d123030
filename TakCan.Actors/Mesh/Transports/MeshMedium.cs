namespace TakCan.Actors.Mesh.Transports;

public enum MeshMedium
{
    /// <summary>Each link reaches exactly one neighbour (UDP peer, BLE connection): handshake, session keys, NACKs.</summary>
    PointToPoint,

    /// <summary>One transmission is heard by every neighbour in range (a radio channel): group key, no NACKs.</summary>
    Broadcast,
}
