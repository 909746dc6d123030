namespace TakCan.Actors.Situation.Emergency;

/// <summary>Who raises this device's emergencies: uid (the alert's is <c>&lt;uid&gt;-9-1-1</c>), callsign and own CoT type.</summary>
public sealed record EmergencyIdentity(string Uid, string Callsign, string Type = "a-f-G-U-C");
