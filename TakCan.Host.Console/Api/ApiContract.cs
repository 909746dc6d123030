using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using static TakCan.Actors.Situation.Emergency.EmergencyProtocol;

namespace TakCan.Host.Console.Api;

/// <summary>
/// The bodies of the local API (specs/device.md, "Local API"), shared by the server and <see cref="LocalApiClient"/>.
/// Contacts, chat messages and emergency entries go out as the situation actors' own records.
/// </summary>
public static class ApiContract
{
    /// <summary>Every 4xx/5xx answer.</summary>
    /// <param name="RetryAfterSeconds">With 429: also in the <c>Retry-After</c> header.</param>
    public sealed record ErrorResponse(
        string Error,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds = null);

    public sealed record StatusResponse(ApiNode Node, int Peers, IReadOnlyList<LinkResponse> Links, CountersResponse Counters);

    public sealed record LinkResponse(int Link, string Transport, string Description, bool Up, string? PeerNode, string? PeerTeam);

    /// <param name="Drops">Dropped frames by reason (camelCase <c>MeshDropReason</c> names).</param>
    public sealed record CountersResponse(long FramesSent, long FramesReceived, long Originated, long Delivered, long Relayed, IReadOnlyDictionary<string, long> Drops);

    public sealed record ContactsResponse(IReadOnlyList<ContactsProtocol.Contact> Contacts);

    public sealed record ChatLogResponse(IReadOnlyList<ChatProtocol.ChatMessage> Messages);

    public sealed record SendChatRequest(string? Room, string? Text);

    public sealed record ChatAcceptedResponse(string MessageId);

    /// <param name="Type">"911 Alert", "Ring The Bell" or "In Contact".</param>
    public sealed record RaiseEmergencyRequest(string? Type);

    public sealed record EmergencyAcceptedResponse(string Key);

    /// <param name="Active">The emergency this node has raised, by its ATAK name, or null.</param>
    public sealed record EmergencyStateResponse(string? Active, IReadOnlyList<OutboxEntry> Outbox, IReadOnlyList<IncomingEmergency> Incoming);

    /// <summary>The ATAK names of the emergency types, as the API and the ATAK menu spell them.</summary>
    public static class EmergencyTypes
    {
        public const string Alert911 = "911 Alert";
        public const string RingTheBell = "Ring The Bell";
        public const string InContact = "In Contact";

        public static IReadOnlyList<string> Names { get; } = [Alert911, RingTheBell, InContact];

        public static string Name(EmergencyType type) => type switch
        {
            EmergencyType.Alert911 => Alert911,
            EmergencyType.RingTheBell => RingTheBell,
            EmergencyType.InContact => InContact,
            _ => type.ToString(),
        };

        public static bool TryParse(string? name, [NotNullWhen(true)] out EmergencyType? type)
        {
            type = name?.Trim() switch
            {
                { } n when n.Equals(Alert911, StringComparison.OrdinalIgnoreCase) => EmergencyType.Alert911,
                { } n when n.Equals(RingTheBell, StringComparison.OrdinalIgnoreCase) => EmergencyType.RingTheBell,
                { } n when n.Equals(InContact, StringComparison.OrdinalIgnoreCase) => EmergencyType.InContact,
                _ => null,
            };
            return type is not null;
        }
    }

    internal static StatusResponse Status(ApiNode node, MeshProtocol.MeshStatus mesh) => new(
        node,
        mesh.Links.Count(l => l.Up && l.Peer is not null),
        mesh.Links.Select(l => new LinkResponse(l.Link, l.Transport, l.Description, l.Up, l.Peer?.Node.ToString(), l.Peer?.Team)).ToList(),
        new CountersResponse(
            mesh.Counters.FramesSent,
            mesh.Counters.FramesReceived,
            mesh.Counters.Originated,
            mesh.Counters.Delivered,
            mesh.Counters.Relayed,
            mesh.Counters.Drops.ToDictionary(d => JsonNamingPolicy.CamelCase.ConvertName(d.Key.ToString()), d => d.Value)));

    internal static EmergencyStateResponse Emergency(EmergencyState state) =>
        new(state.Active is { } active ? EmergencyTypes.Name(active) : null, state.Outbox, state.Incoming);
}
