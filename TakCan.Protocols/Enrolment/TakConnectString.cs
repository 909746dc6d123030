namespace TakCan.Protocols.Enrolment;

/// <summary>
/// Where a TAK Server's CoT stream is: ATAK's connect string <c>host:port:protocol</c> (<c>tak.example.org:8089:ssl</c>),
/// as written in a data package's <c>connectString0</c> and in the <c>host</c> of an enrolment code.
/// </summary>
public sealed record TakConnectString
{
    public const int DefaultSslPort = 8089;
    public const int DefaultTcpPort = 8087;

    /// <param name="host">Host name or IP address; IPv6 with or without brackets.</param>
    public TakConnectString(string host, int port, TakStreamProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(host);
        Host = EnrolmentText.Host(host, "connect string");
        if (port is < 1 or > 65535) throw new EnrolmentException($"the port {port} is not a number from 1 to 65535");
        if (!Enum.IsDefined(protocol)) throw new EnrolmentException($"{protocol} is not a TAK stream protocol");
        Port = port;
        Protocol = protocol;
    }

    /// <summary>Host name or IP address, IPv6 without brackets.</summary>
    public string Host { get; }

    public int Port { get; }

    public TakStreamProtocol Protocol { get; }

    /// <summary>
    /// Reads the full form <c>host:port:protocol</c>. The last two fields are port and protocol, so an IPv6 host may
    /// be written with or without brackets.
    /// </summary>
    /// <exception cref="EnrolmentException">Not three fields, or a field out of range.</exception>
    public static TakConnectString Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var last = trimmed.LastIndexOf(':');
        var middle = last > 0 ? trimmed.LastIndexOf(':', last - 1) : -1;
        if (middle <= 0)
            throw new EnrolmentException($"the connect string '{EnrolmentText.Shorten(trimmed)}' is not host:port:protocol (for example tak.example.org:8089:ssl)");
        return new TakConnectString(
            trimmed[..middle],
            EnrolmentText.Port(trimmed[(middle + 1)..last], "connect string"),
            EnrolmentText.Protocol(trimmed[(last + 1)..], "connect string"));
    }

    /// <summary>
    /// Reads <c>host</c>, <c>host:port</c> or <c>host:port:protocol</c>, the forms an enrolment code's <c>host</c>
    /// takes; missing fields are ssl on 8089. An IPv6 host needs brackets here (<c>[fd00::1]:8089</c>).
    /// </summary>
    /// <exception cref="EnrolmentException">A field is out of range.</exception>
    public static TakConnectString ParseShort(string text, string what = "server address")
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Contains("://", StringComparison.Ordinal))
            throw new EnrolmentException($"the {what} '{EnrolmentText.Shorten(trimmed)}' is a URL; give the host name only, such as tak.example.org");
        string host;
        string rest;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']');
            if (close < 0) throw new EnrolmentException($"the {what} '{EnrolmentText.Shorten(trimmed)}' opens a '[' for an IPv6 address but never closes it");
            host = trimmed[..(close + 1)];
            rest = trimmed[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
                throw new EnrolmentException($"the {what} '{EnrolmentText.Shorten(trimmed)}' has text after the IPv6 address that is not :port");
        }
        else
        {
            var colon = trimmed.IndexOf(':');
            host = colon < 0 ? trimmed : trimmed[..colon];
            rest = colon < 0 ? "" : trimmed[colon..];
        }

        var fields = rest.Length == 0 ? [] : rest[1..].Split(':');
        if (fields.Length > 2 || rest.StartsWith("::", StringComparison.Ordinal))
            throw new EnrolmentException($"the {what} '{EnrolmentText.Shorten(trimmed)}' has too many ':' fields; write host, host:port or host:port:protocol (IPv6 in brackets)");
        var port = fields.Length >= 1 ? EnrolmentText.Port(fields[0], what) : DefaultSslPort;
        var protocol = fields.Length == 2 ? EnrolmentText.Protocol(fields[1], what) : TakStreamProtocol.Ssl;
        return new TakConnectString(host, port, protocol);
    }

    /// <summary>The ATAK form, <c>host:port:protocol</c>, IPv6 in brackets.</summary>
    public override string ToString() => $"{EnrolmentText.HostForUri(Host)}:{Port}:{EnrolmentText.ProtocolName(Protocol)}";
}
