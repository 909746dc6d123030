using TakCan.Protocols.Cot.Xml;
using TakCan.Protocols.TakProto;

namespace TakCan.Actors.Servers;

/// <summary>One configured TAK Server (specs/server-links.md). Immutable; check with <see cref="Validate"/>.</summary>
public sealed record ServerLinkSettings
{
    /// <summary>The name events are tagged with (<c>server:&lt;name&gt;</c>) and the actor is named after.</summary>
    public required string Name { get; init; }

    public required string Host { get; init; }

    /// <summary>8087 for plain CoT, 8089 for TLS on a stock TAK Server.</summary>
    public required int Port { get; init; }

    /// <summary>TLS with a configured CA (and normally a client certificate); null: plain TCP.</summary>
    public ServerTlsSettings? Tls { get; init; }

    /// <summary>Username and password for servers with <c>auth="file"</c> or LDAP; null: none sent.</summary>
    public ServerCredentials? Credentials { get; init; }

    /// <summary>This device's uid: the auth message's <c>uid</c> and the ping's <c>&lt;uid&gt;-ping</c>.</summary>
    public required string DeviceUid { get; init; }

    /// <summary>Answer a server's <c>t-x-takp-v</c> offer and stream TAK protocol; false: stay on XML.</summary>
    public bool RequestTakProtocol { get; init; } = true;

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Each backoff is stretched by a random factor in [1, 1 + jitter) so links to one server spread out.</summary>
    public double BackoffJitter { get; init; } = 0.2;

    /// <summary>How often a <c>t-x-c-t</c> ping is sent while connected.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>No bytes from the server for this long and the connection is given up; default 3 × the ping interval.</summary>
    public TimeSpan? ReadTimeout { get; init; }

    /// <summary>
    /// How long after connecting a server may still offer TAK protocol (<c>t-x-takp-v</c>); later the link settles on
    /// XML for the connection, as commoncommo does. TAK Server offers right away.
    /// </summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for <c>t-x-takp-r</c> after the request; the README asks for at least a minute.</summary>
    public TimeSpan NegotiationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>TCP connect plus TLS handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Events kept for the server while it is unreachable (or negotiating); the oldest is dropped beyond this.</summary>
    public int MaxQueuedEvents { get; init; } = 1000;

    /// <summary>Frames waiting for the socket while connected; the oldest is dropped beyond this.</summary>
    public int MaxWriteBacklog { get; init; } = 1024;

    /// <summary>Events kept per uid for recognising a server's replay after a reconnect.</summary>
    public int RecentEventCapacity { get; init; } = 4096;

    public CotXmlLimits XmlLimits { get; init; } = CotXmlLimits.Default;

    public int MaxTakMessageBytes { get; init; } = TakStreamDecoder.DefaultMaxMessageBytes;

    /// <summary>The silence limit in force: <see cref="ReadTimeout"/> or 3 × <see cref="PingInterval"/>.</summary>
    public TimeSpan EffectiveReadTimeout => ReadTimeout ?? 3 * PingInterval;

    /// <summary>The URL form node-tak and <c>takcan server add</c> use: <c>tcp://host:port</c> or <c>ssl://host:port</c>.</summary>
    public string Endpoint => $"{(Tls is null ? "tcp" : "ssl")}://{Host}:{Port}";

    /// <summary>The source name of every event this link delivers.</summary>
    public string SourceName => "server:" + Name;

    /// <exception cref="ArgumentException">A value no link can run with, named in the message.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a server needs a name", nameof(Name));
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException($"server '{Name}' has no host", nameof(Host));
        if (Port is < 1 or > 65535) throw new ArgumentException($"server '{Name}': port {Port} is outside 1..65535", nameof(Port));
        if (string.IsNullOrWhiteSpace(DeviceUid)) throw new ArgumentException($"server '{Name}': the device uid is empty", nameof(DeviceUid));
        Positive(MinBackoff, nameof(MinBackoff));
        Positive(PingInterval, nameof(PingInterval));
        Positive(EffectiveReadTimeout, nameof(ReadTimeout));
        Positive(OfferTimeout, nameof(OfferTimeout));
        Positive(NegotiationTimeout, nameof(NegotiationTimeout));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        if (MaxBackoff < MinBackoff)
            throw new ArgumentException($"server '{Name}': max backoff {MaxBackoff} is below min backoff {MinBackoff}", nameof(MaxBackoff));
        if (BackoffJitter is < 0 or > 1) throw new ArgumentException($"server '{Name}': backoff jitter {BackoffJitter} is outside 0..1", nameof(BackoffJitter));
        if (EffectiveReadTimeout <= PingInterval)
            throw new ArgumentException(
                $"server '{Name}': read timeout {EffectiveReadTimeout} must be longer than the ping interval {PingInterval}, or every pause between pings looks like a dead server",
                nameof(ReadTimeout));
        if (MaxQueuedEvents < 0) throw new ArgumentException($"server '{Name}': queue size {MaxQueuedEvents} is negative", nameof(MaxQueuedEvents));
        if (MaxWriteBacklog < 1) throw new ArgumentException($"server '{Name}': write backlog {MaxWriteBacklog} must be at least 1", nameof(MaxWriteBacklog));
        if (RecentEventCapacity < 0) throw new ArgumentException($"server '{Name}': recent event capacity is negative", nameof(RecentEventCapacity));
        if (Credentials is not null) ServerAuthMessage.Build(Credentials, DeviceUid);
    }

    private void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentException($"server '{Name}': {name} must be positive, is {value}", name);
    }
}
