using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;

namespace TakCan.Host.Console.Tests.Api;

internal static class Samples
{
    public static readonly DateTime Now = new(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc);

    public static ContactsProtocol.Contact Contact(string uid, string callsign) => new(
        uid, callsign, "a-f-G-U-C", "Cyan", "Team Member", 59.329, 18.068, 22.5, 90, 1.2,
        Now, Now.AddMinutes(2), ["mesh"], 1523.5, 45, IsStale: false);

    public static ChatProtocol.ChatMessage ChatMessage(string id, string room, string text) => new(
        id, room, "ANDROID-viper", "VIPER", text, Now, ChatProtocol.DeliveryState.Delivered, ["ANDROID-hawk"]);
}
