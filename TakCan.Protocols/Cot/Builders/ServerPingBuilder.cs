namespace TakCan.Protocols.Cot.Builders;

/// <summary>
/// The keepalive of a TAK Server stream: the client sends <c>t-x-c-t</c> (uid <c>&lt;device uid&gt;-ping</c>,
/// as ATAK does), the server answers <c>t-x-c-t-r</c> with uid <c>takPong</c>. Neither is situation data: a
/// link consumes both and shows neither to the user. Pure builders.
/// </summary>
public static class ServerPingBuilder
{
    public const string PingType = "t-x-c-t";

    public const string PongType = "t-x-c-t-r";

    /// <summary>The uid TAK Server gives every pong.</summary>
    public const string PongUid = "takPong";

    /// <summary>Appended to the device uid for the ping's uid.</summary>
    public const string PingUidSuffix = "-ping";

    /// <summary>ATAK's ping goes stale after 10 s.</summary>
    public static TimeSpan PingLifetime { get; } = TimeSpan.FromSeconds(10);

    /// <summary>TAK Server's pong goes stale after 20 s.</summary>
    public static TimeSpan PongLifetime { get; } = TimeSpan.FromSeconds(20);

    private static readonly CotPoint Nowhere = new(0, 0, 0, CotPoint.Unknown, CotPoint.Unknown);

    public static CotEvent Ping(string deviceUid, DateTime now)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceUid);
        return Build(deviceUid + PingUidSuffix, PingType, "m-g", now, PingLifetime);
    }

    public static CotEvent Pong(DateTime now) => Build(PongUid, PongType, "h-g-i-g-o", now, PongLifetime);

    public static bool IsPing(CotEvent evt) => evt.Type == PingType;

    public static bool IsPong(CotEvent evt) => evt.Type == PongType;

    private static CotEvent Build(string uid, string type, string how, DateTime now, TimeSpan lifetime)
    {
        var time = GeoChatBuilder.TruncateToMilliseconds(now);
        return new CotEvent
        {
            Uid = uid,
            Type = type,
            How = how,
            Time = time,
            Start = time,
            Stale = time + lifetime,
            Point = Nowhere,
        };
    }
}
