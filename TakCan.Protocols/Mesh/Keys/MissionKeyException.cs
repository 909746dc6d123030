namespace TakCan.Protocols.Mesh.Keys;

/// <summary>
/// The one error raised for a mission key that cannot be used: a bad value, a damaged code or file,
/// an expired key. The message says what is wrong and what to do about it (specs/mesh-keys.md).
/// </summary>
public sealed class MissionKeyException : Exception
{
    public MissionKeyException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
