namespace TakCan.Actors.Ui;

/// <summary>The kinds of <see cref="UiProtocol.UiEvent"/>; a screen switches on them.</summary>
public static class UiEventKinds
{
    /// <summary>Payload: <c>DeviceProtocol.CotReceived</c>.</summary>
    public const string Cot = "cot";

    /// <summary>Payload: <c>MeshProtocol.PeerJoined</c>.</summary>
    public const string PeerJoined = "peer-joined";

    /// <summary>Payload: <c>MeshProtocol.PeerLeft</c>.</summary>
    public const string PeerLeft = "peer-left";

    /// <summary>A chat message was sent, received or changed delivery state. Payload: <c>ChatProtocol.ChatMessage</c>.</summary>
    public const string Chat = "chat";

    /// <summary>An emergency was raised, cancelled or acknowledged, here or elsewhere. Payload: <c>EmergencyProtocol.EmergencyState</c>.</summary>
    public const string Emergency = "emergency";
}
