namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// A phone's BLE transport (see <see cref="BleProfile"/>): links appear as connections are made to devices
/// advertising <see cref="BleProfile.AdvertisedName"/>, each with <see cref="BleProfile.Mtu"/>.
/// </summary>
public interface IBleMeshTransport : IMeshTransport
{
    /// <summary>Starts advertising and scanning; a host calls it when the user turns the mesh on.</summary>
    Task StartAsync(CancellationToken cancellation);
}
