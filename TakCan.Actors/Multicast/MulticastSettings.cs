using System.Net;
using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Multicast;

/// <summary>ATAK-compatible multicast ("mesh SA") configuration (specs/multicast.md).</summary>
/// <param name="Uid">This device's uid: the TakControl contact uid, and how our own looped-back datagrams are recognised.</param>
public sealed record MulticastSettings(string Uid)
{
    /// <summary>ATAK's default SA group (INTEROP.md).</summary>
    public static readonly IPEndPoint DefaultSaGroup = new(IPAddress.Parse("239.2.3.1"), 6969);

    /// <summary>ATAK's default GeoChat group (INTEROP.md).</summary>
    public static readonly IPEndPoint DefaultChatGroup = new(IPAddress.Parse("224.10.10.1"), 17012);

    public IPEndPoint SaGroup { get; init; } = DefaultSaGroup;

    public IPEndPoint ChatGroup { get; init; } = DefaultChatGroup;

    /// <summary>
    /// IPv4 address of the interface to join and send on; <see cref="IPAddress.Any"/> lets the OS choose (the
    /// interface of the default route). 127.0.0.1 keeps everything on one machine (tests, rigs).
    /// </summary>
    public IPAddress Interface { get; init; } = IPAddress.Any;

    /// <summary>Multicast TTL of what we send; 1 keeps it on the local network.</summary>
    public int Ttl { get; init; } = 1;

    /// <summary>
    /// Let datagrams we send reach other sockets on this machine (a second device or ATAK in an emulator). Our own
    /// are dropped by their source address and port, and by uid.
    /// </summary>
    public bool Loopback { get; init; } = true;

    public bool SaEnabled { get; init; } = true;

    public bool ChatEnabled { get; init; } = true;

    /// <summary>Rule 1 of the mesh negotiation: a TakControl at least this often.</summary>
    public TimeSpan AnnounceInterval { get; init; } = MeshVersionTracker.DefaultAnnounceInterval;

    /// <summary>Rule 3c: a contact without a TakControl for this long falls back to its last message's version.</summary>
    public TimeSpan ControlTimeout { get; init; } = MeshVersionTracker.DefaultControlTimeout;

    /// <summary>A contact not heard from for this long no longer counts for the send version.</summary>
    public TimeSpan ForgetContactAfter { get; init; } = MeshVersionTracker.DefaultForgetAfter;

    /// <summary>Most contacts the version tracker holds.</summary>
    public int MaxContacts { get; init; } = MeshVersionTracker.DefaultMaxContacts;

    /// <summary>How often expiries (control timeout, forgotten contacts) and the announcement cadence are checked.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wait before the sockets are opened again after they could not be opened or failed.</summary>
    public TimeSpan ReopenInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Datagrams received but not yet handled by the actor; beyond this they are dropped and counted.</summary>
    public int MaxPendingDatagrams { get; init; } = 1024;

    public CotXmlLimits XmlLimits { get; init; } = CotXmlLimits.Default;
}
