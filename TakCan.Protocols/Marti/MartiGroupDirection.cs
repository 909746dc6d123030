namespace TakCan.Protocols.MartiApi;

/// <summary>
/// Which way a TAK Server group (channel) carries data for this device: TAK Server lists a group once per direction
/// the certificate has (<c>IN</c>: what the device sends reaches the group; <c>OUT</c>: the device receives it).
/// </summary>
public enum MartiGroupDirection
{
    In,
    Out,
}
