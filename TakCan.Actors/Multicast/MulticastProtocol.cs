using System.Net;
using TakCan.Protocols.Cot;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Multicast;

/// <summary>Messages of <see cref="MulticastSaActor"/>.</summary>
public static class MulticastProtocol
{
    /// <summary>
    /// Broadcast an event: GeoChat (<c>b-t-f</c>, <c>b-t-f-*</c>) to the chat group, everything else to the SA
    /// group, as XML or TAK protocol mesh format by the negotiated version. No reply.
    /// </summary>
    public sealed record SendMulticast(CotEvent Event);

    public sealed record GetMulticastStatus
    {
        public static GetMulticastStatus Instance { get; } = new();
    }

    /// <param name="Open">The sockets are open (false while waiting to reopen them).</param>
    /// <param name="LastError">Why they last failed to open or failed, if they did.</param>
    /// <param name="LocalEndPoint">The address and port our datagrams go out from, while open.</param>
    /// <param name="SendVersion">0 = XML, 1 = TAK protocol mesh format.</param>
    public sealed record MulticastStatus(
        bool Open,
        string? LastError,
        IPEndPoint? LocalEndPoint,
        int SendVersion,
        IReadOnlyList<MeshVersionTracker.ContactVersions> Contacts,
        MulticastCounters Counters);

    /// <summary>Traffic and drop counters since the actor started.</summary>
    /// <param name="Received">Datagrams read from either group, whatever became of them.</param>
    /// <param name="Delivered">Events handed to the device.</param>
    /// <param name="ControlsReceived">TakControl announcements read (alone or with an event).</param>
    /// <param name="Sent">Events sent (one per event).</param>
    /// <param name="ControlsSent">TakControl datagrams sent (one per enabled group and announcement).</param>
    /// <param name="Bad">Datagrams that are neither valid CoT XML nor a valid TAK protocol message.</param>
    /// <param name="UnsupportedVersion">TAK protocol datagrams with a mesh version other than 1.</param>
    /// <param name="Own">Our own datagrams heard back (loopback) or events carrying our uid.</param>
    /// <param name="Overflow">Datagrams dropped because the actor was behind by more than the pending limit.</param>
    /// <param name="SendFailed">Events or TakControls not sent: too large, group disabled, or the socket refused.</param>
    public sealed record MulticastCounters(
        long Received,
        long Delivered,
        long ControlsReceived,
        long Sent,
        long ControlsSent,
        long Bad,
        long UnsupportedVersion,
        long Own,
        long Overflow,
        long SendFailed);
}
