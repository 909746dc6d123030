using TakCan.Protocols.Cot;

namespace TakCan.Actors.Servers;

/// <summary>
/// Messages of <see cref="ServerLinkActor"/>. What a link receives from its server goes to the device as
/// <see cref="Device.DeviceProtocol.CotReceived"/> with source <c>server:&lt;name&gt;</c>.
/// </summary>
public static class ServerLinkProtocol
{
    /// <summary>
    /// Send an event to the server. Until the server has accepted the link, and while negotiating, it waits in a
    /// bounded queue (oldest dropped and counted) and goes out, in order, once the link can write again.
    /// </summary>
    public sealed record SendToServer(CotEvent Event);

    /// <summary>Ask for a <see cref="ServerStatus"/>.</summary>
    public sealed record GetServerStatus
    {
        public static GetServerStatus Instance { get; } = new();
    }

    /// <param name="Endpoint"><c>tcp://host:port</c> or <c>ssl://host:port</c>.</param>
    /// <param name="Framing">Of the current connection (or the last one, when down).</param>
    /// <param name="Since">When the link entered <paramref name="State"/>.</param>
    /// <param name="LastError">Why the last connection attempt failed or the last connection ended; null when none has.</param>
    /// <param name="Security">TLS version and cipher of the current connection; null for plain TCP or when down.</param>
    public sealed record ServerStatus(
        string Name,
        string Endpoint,
        ServerLinkState State,
        ServerFraming Framing,
        DateTimeOffset Since,
        ServerLinkCounters Counters,
        string? LastError,
        string? Security);

    /// <param name="EventsIn">CoT delivered to the device (pings, pongs and negotiation not counted).</param>
    /// <param name="EventsOut">CoT written to the server.</param>
    /// <param name="BadEvents">Events from the server that could not be read and were skipped.</param>
    /// <param name="Duplicates">Events the server sent again (same uid, type and time), not delivered twice.</param>
    /// <param name="Dropped">Outgoing events dropped from a full queue.</param>
    /// <param name="Connections">Connections the server accepted (it sent something back).</param>
    /// <param name="Reconnects">Connection attempts after the first.</param>
    public sealed record ServerLinkCounters(
        long EventsIn,
        long EventsOut,
        long BadEvents,
        long Duplicates,
        long Dropped,
        long Connections,
        long Reconnects);
}
