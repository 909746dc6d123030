namespace TakCan.Actors.Situation.Chat;

/// <summary>Who sends this device's chat lines: uid and callsign, the CoT type the link carries, and the team room.</summary>
public sealed record ChatIdentity(string Uid, string Callsign, string Type, string Team);
