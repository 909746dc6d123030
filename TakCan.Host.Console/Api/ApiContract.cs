using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using TakCan.Actors.Bridge;
using TakCan.Actors.Mesh;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.MartiApi;
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

    /// <summary>The configured TAK servers (specs/server-links.md, "Configured servers").</summary>
    public sealed record ServersResponse(IReadOnlyList<ServerResponse> Servers);

    /// <summary>A configured server as the API shows it: never its passwords.</summary>
    /// <param name="Cert">The client certificate file, or <c>keystore:NAME</c>.</param>
    /// <param name="Ca">The CA file, or <c>keystore:NAME</c>.</param>
    /// <param name="Status">The link's status; null while it starts or when it has none (see <paramref name="Problem"/>).</param>
    /// <param name="MartiUrl">The server's HTTPS API when it is not the stream's host on port 8443.</param>
    public sealed record ServerResponse(
        string Name,
        string Url,
        string? Cert,
        string? Ca,
        string? User,
        ServerLinkProtocol.ServerStatus? Status,
        string? Problem,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MartiUrl = null);

    /// <param name="Url"><c>tcp://HOST:PORT</c> or <c>ssl://HOST:PORT</c>.</param>
    /// <param name="Cert">A PKCS#12 file (full path) or <c>keystore:NAME</c>.</param>
    /// <param name="Password">The PKCS#12 file's password.</param>
    /// <param name="Ca">A PEM or DER file (full path) or <c>keystore:NAME</c>.</param>
    /// <param name="UserPassword">The password that goes with <paramref name="User"/>.</param>
    /// <param name="MartiUrl"><c>https://HOST:PORT</c> of the server's HTTPS API (missions), when not the stream's host on 8443.</param>
    public sealed record AddServerRequest(
        string? Name, string? Url, string? Cert = null, string? Password = null, string? Ca = null, string? User = null, string? UserPassword = null, string? MartiUrl = null)
    {
        // Request bodies can end up in logs and test output; the passwords must not.
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append("Name = ").Append(Name).Append(", Url = ").Append(Url).Append(", Cert = ").Append(Cert).Append(", Ca = ").Append(Ca).Append(", User = ").Append(User)
                .Append(", MartiUrl = ").Append(MartiUrl);
            return true;
        }
    }

    /// <param name="Code">An enrolment code (<c>tak://com.atakmap.app/enroll?…</c>, iTAK <c>Name,Address,Port,Protocol</c>); or <paramref name="Host"/>.</param>
    /// <param name="Host"><c>host[:port[:protocol]]</c> of the CoT stream (default port 8089, ssl).</param>
    /// <param name="User">The user name to enrol as; optional when the code carries one.</param>
    /// <param name="Password">The password or one-time token; optional when the code carries a token.</param>
    /// <param name="Trust"><c>ca:FILE</c>, <c>pin:SHA256</c> or <c>first-use</c>: how the enrolment server is trusted. Required.</param>
    /// <param name="EnrolmentPort">The HTTPS enrolment port, 8446 when not given.</param>
    public sealed record EnrollServerRequest(string? Name, string? Code = null, string? Host = null, string? User = null, string? Password = null, string? Trust = null, int? EnrolmentPort = null)
    {
        private bool PrintMembers(System.Text.StringBuilder builder)
        {
            builder.Append("Name = ").Append(Name).Append(", Host = ").Append(Host).Append(", User = ").Append(User).Append(", Trust = ").Append(Trust);
            return true;
        }
    }

    /// <param name="Subject">The issued client certificate's subject.</param>
    /// <param name="NotAfter">When it expires (UTC): enrol again before.</param>
    /// <param name="ServerCertificateSha256">The enrolment server's certificate fingerprint: with first-use trust, compare it with the administrator's.</param>
    public sealed record EnrolledResponse(ServerResponse Server, string Subject, string Issuer, DateTime NotAfter, string CertificateSha256, string ServerCertificateSha256);

    /// <param name="Notes">Connections left out of the package, and what added ones still lack.</param>
    public sealed record ImportedResponse(IReadOnlyList<ServerResponse> Servers, IReadOnlyList<string> Notes);

    /// <summary>Which mission, on which configured server (specs/marti.md, "Pull into the node").</summary>
    /// <param name="Server">A configured server's name; may be left out when the node has exactly one.</param>
    /// <param name="Mission">The mission's name as the server lists it.</param>
    public sealed record MissionRequest(string? Server, string? Mission);

    public sealed record MissionsResponse(string Server, IReadOnlyList<MissionResponse> Missions);

    /// <param name="Items">How many map items (uids) the mission holds.</param>
    /// <param name="Files">How many files (contents) it holds.</param>
    public sealed record MissionResponse(
        string Name,
        string Description,
        string? CreatorUid,
        DateTime? CreateTime,
        string? Tool,
        IReadOnlyList<string> Keywords,
        bool PasswordProtected,
        bool InviteOnly,
        int Items,
        int Files);

    /// <summary>The token is kept by the node, never shown.</summary>
    public sealed record MissionSubscribedResponse(string Server, string Mission, string? Role);

    /// <param name="Source">The source the events reached contacts and the CoT store from (<c>mission:NAME</c>).</param>
    /// <param name="Events">Events given to the device.</param>
    /// <param name="BadEvents">Events that could not be read and were skipped; <paramref name="EventProblems"/> says why (the first few).</param>
    /// <param name="Directory">The mission's folder in the content store.</param>
    public sealed record MissionPulledResponse(
        string Server,
        string Mission,
        string Source,
        int Events,
        int BadEvents,
        IReadOnlyList<string> EventProblems,
        IReadOnlyList<MissionFileResponse> Files,
        string Directory)
    {
        public int Saved => Files.Count(f => f.Outcome == MissionContentOutcome.Saved);

        public int AlreadyPresent => Files.Count(f => f.Outcome == MissionContentOutcome.AlreadyPresent);

        public int Refused => Files.Count(f => f.Outcome == MissionContentOutcome.Refused);
    }

    /// <param name="Path">Where the file is kept (named by its hash); null when it was refused.</param>
    public sealed record MissionFileResponse(string Hash, string? Filename, MissionContentOutcome Outcome, string? Reason, string? Path);

    /// <summary>The bridge of the node (specs/bridge.md, "Status and limits"), as <c>GET /api/bridge</c> shows it.</summary>
    /// <param name="Enabled">Bridge mode (<c>bridge.enabled</c> in the node config); when false the lists are empty and the counters null.</param>
    /// <param name="Node">This node's mesh node id, hex: the bridge's id in elections.</param>
    /// <param name="Servers">The servers it bridges; <c>active</c>: it is the elected forwarder for the server, else it stands by.</param>
    /// <param name="Peers">Onboarded mesh peers (expired ones excluded).</param>
    /// <param name="Bridges">Other bridges heard on the mesh lately.</param>
    /// <param name="LastRefusal">Why the last onboard message was refused; null when none was.</param>
    public sealed record BridgeResponse(
        bool Enabled,
        string? Node,
        IReadOnlyList<BridgeProtocol.BridgedServer> Servers,
        IReadOnlyList<BridgeProtocol.OnboardedPeer> Peers,
        IReadOnlyList<BridgeProtocol.OtherBridge> Bridges,
        BridgeProtocol.BridgeCounters? Counters,
        string? LastRefusal);

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

    internal static ServerResponse Server(ServerEntry entry, ServerLinkProtocol.ServerStatus? status = null, string? problem = null) =>
        new(entry.Name, entry.Url, entry.Certificate, entry.Ca, entry.Username, status, problem, entry.MartiUrl);

    internal static MissionResponse Mission(Protocols.MartiApi.MartiMission mission) => new(
        mission.Name,
        mission.Description,
        mission.CreatorUid,
        mission.CreateTime,
        mission.Tool,
        mission.Keywords.ToList(),
        mission.PasswordProtected,
        mission.InviteOnly,
        mission.Uids.Count,
        mission.Contents.Count);

    internal static MissionPulledResponse Pulled(MissionsProtocol.MissionPulled pulled)
    {
        var result = pulled.Result;
        return new MissionPulledResponse(
            pulled.Server,
            result.Mission,
            MissionsService.SourceOf(result.Mission).Name,
            result.Events.Count,
            result.BadEvents,
            result.EventProblems.ToList(),
            result.Contents.Select(c => new MissionFileResponse(
                c.Hash,
                c.Filename,
                c.Outcome,
                c.Reason,
                c.Outcome == MissionContentOutcome.Refused ? null : System.IO.Path.Combine(pulled.Directory, c.Hash))).ToList(),
            pulled.Directory);
    }

    internal static BridgeResponse Bridge(BridgeProtocol.BridgeStatus status) =>
        new(true, status.Node, status.Servers, status.Peers, status.Bridges, status.Counters, status.LastRefusal);

    internal static BridgeResponse BridgeOff(ApiNode node) => new(false, node.MeshNode, [], [], [], null, null);

    internal static EmergencyStateResponse Emergency(EmergencyState state) =>
        new(state.Active is { } active ? EmergencyTypes.Name(active) : null, state.Outbox, state.Incoming);
}
