namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// The seam a phone host fills with its BLE stack (e.g. Plugin.BLE under MAUI): it advertises a generic service
/// name only, and offers each GATT connection as a <see cref="MeshLinkOffer"/> with this profile's MTU.
/// Nothing here runs on these machines; the simulator's BLE radio profile uses the same numbers.
/// </summary>
public static class BleProfile
{
    /// <summary>Negotiated ATT MTU TAK Can asks for (512) less the ATT header, rounded to what phones grant.</summary>
    public const int Mtu = 480;

    /// <summary>Advertised name: generic, identical on every device, so nothing identifies the user.</summary>
    public const string AdvertisedName = "TAKCan";
}
