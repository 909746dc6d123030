namespace TakCan.Actors.Device;

public enum CotSourceKind
{
    /// <summary>This device: its own SA, chat, emergencies.</summary>
    Self,
    Mesh,
    Server,
    Multicast,
    Feed,

    /// <summary>Imported by the user (file, local API).</summary>
    Import,
}
