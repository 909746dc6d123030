namespace TakCan.Protocols.Mesh.Security;

public enum HandshakeState
{
    Pending,
    Up,
    Failed,
}
