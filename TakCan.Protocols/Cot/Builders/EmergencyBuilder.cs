using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// Builds this device's emergency events as ATAK's EmergencyManager does (specs/device.md, "Emergency"): one uid,
/// <c>&lt;self uid&gt;-9-1-1</c>, for every raise and its cancel, so a receiver replaces the alert with the cancel.
/// Pure functions: the same arguments give the same event (and so the same acknowledgement key).
/// </summary>
public static class EmergencyBuilder
{
    /// <summary>b-a-o-tbl, "911 Alert".</summary>
    public const string Alert911 = "b-a-o-tbl";

    /// <summary>b-a-o-pan, "Ring The Bell".</summary>
    public const string RingTheBell = "b-a-o-pan";

    /// <summary>b-a-o-opn, "In Contact".</summary>
    public const string InContact = "b-a-o-opn";

    /// <summary>b-a-o-can: cancels whatever the same uid raised.</summary>
    public const string Cancelled = "b-a-o-can";

    /// <summary>Every emergency type (raises and cancel) starts with this.</summary>
    public const string TypePrefix = "b-a-o-";

    /// <summary>ATAK's alert lifetime; ATAK keeps an alert up by repeating it.</summary>
    public static TimeSpan DefaultLifetime { get; } = TimeSpan.FromSeconds(10);

    public static string Uid(string selfUid) => selfUid + "-9-1-1";

    /// <summary>The text ATAK puts in <c>emergency type</c> for a raise type, e.g. "911 Alert".</summary>
    /// <exception cref="ArgumentException">Not one of the three raise types.</exception>
    public static string Describe(string cotType) => cotType switch
    {
        Alert911 => "911 Alert",
        RingTheBell => "Ring The Bell",
        InContact => "In Contact",
        _ => throw new ArgumentException($"'{cotType}' is not an emergency raise type ({Alert911}, {RingTheBell}, {InContact})", nameof(cotType)),
    };

    /// <summary>
    /// A raise: <c>link</c> (p-p) to the sender, <c>contact callsign="&lt;callsign&gt;-Alert"</c> (the alert marker's
    /// name on ATAK) and <c>&lt;emergency type="911 Alert"&gt;CALLSIGN&lt;/emergency&gt;</c>.
    /// </summary>
    /// <param name="cotType"><see cref="Alert911"/>, <see cref="RingTheBell"/> or <see cref="InContact"/>.</param>
    /// <param name="selfType">The device's own CoT type, carried by the link.</param>
    /// <param name="lifetime">Stale after this; ATAK uses <see cref="DefaultLifetime"/>.</param>
    public static CotEvent Raise(
        string selfUid,
        string callsign,
        string cotType,
        DateTime now,
        CotPoint position,
        string selfType = "a-f-G-U-C",
        string how = "h-e",
        TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(selfUid);
        var text = Describe(cotType);
        var time = GeoChatBuilder.TruncateToMilliseconds(now);
        return new CotEvent
        {
            Uid = Uid(selfUid),
            Type = cotType,
            How = how,
            Time = time,
            Start = time,
            Stale = time + (lifetime ?? DefaultLifetime),
            Point = position,
            Detail = new CotDetail(
            [
                new Link { Uid = selfUid, Type = selfType, Relation = "p-p" },
                new Contact { Callsign = callsign + "-Alert" },
                new Emergency { Type = text, Callsign = callsign },
            ]),
        };
    }

    /// <summary>
    /// A cancel: <c>b-a-o-can</c> with only <c>&lt;emergency cancel="true"&gt;CALLSIGN&lt;/emergency&gt;</c>, exactly as
    /// ATAK's EmergencyManager.generateCancelMessage sends it (no link, no contact).
    /// </summary>
    public static CotEvent Cancel(
        string selfUid,
        string callsign,
        DateTime now,
        CotPoint position,
        string how = "h-e",
        TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(selfUid);
        var time = GeoChatBuilder.TruncateToMilliseconds(now);
        return new CotEvent
        {
            Uid = Uid(selfUid),
            Type = Cancelled,
            How = how,
            Time = time,
            Start = time,
            Stale = time + (lifetime ?? DefaultLifetime),
            Point = position,
            Detail = new CotDetail([new Emergency { Cancel = true, Callsign = callsign }]),
        };
    }

    public static bool IsEmergency(CotEvent evt) => evt.Type.StartsWith(TypePrefix, StringComparison.Ordinal);

    public static bool IsCancel(CotEvent evt) => evt.Type == Cancelled || evt.Detail.Emergency?.Cancel == true;
}
