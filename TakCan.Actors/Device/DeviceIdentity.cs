namespace TakCan.Actors.Device;

/// <summary>Who this device is on the TAK picture.</summary>
public sealed record DeviceIdentity(string Uid, string Callsign, string Team, string Role, string Type = "a-f-G-U-C");
