using System.Globalization;
using System.Net;
using System.Text;

namespace TakCan.Protocols.Enrolment;

/// <summary>Validation and decoding shared by the enrolment codes, connect strings and packages.</summary>
internal static class EnrolmentText
{
    public const int MaxHostLength = 253; // RFC 1035, the longest DNS name in text form

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A host name, IPv4 address or IPv6 address (brackets optional) as it will be dialled, without brackets;
    /// throws for anything else, naming <paramref name="what"/>.
    /// </summary>
    public static string Host(string text, string what)
    {
        var host = text.Trim();
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (host.Length == 0)
            throw new EnrolmentException($"the {what} has no server address");
        if (host.Length > MaxHostLength)
            throw new EnrolmentException($"the server address in the {what} is {host.Length} characters long; a host name has at most {MaxHostLength}");
        if (host.Contains("://", StringComparison.Ordinal))
            throw new EnrolmentException($"the server address in the {what} is a URL ('{Shorten(host)}'); give the host name only, such as tak.example.org");
        // Digits and dots only is meant as IPv4; Uri and IPAddress would read "1.2.3" as 1.2.0.3, a typo is likelier.
        if (host.All(c => char.IsAsciiDigit(c) || c == '.') &&
            (host.Split('.') is not { Length: 4 } octets || octets.Any(o => o.Length is 0 or > 3 || int.Parse(o, CultureInfo.InvariantCulture) > 255)))
            throw new EnrolmentException($"'{Shorten(host)}' in the {what} is not a complete IPv4 address");
        var kind = Uri.CheckHostName(host);
        if (kind is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            throw new EnrolmentException($"'{Shorten(host)}' in the {what} is not a host name or IP address");
        return kind == UriHostNameType.IPv6 ? IPAddress.Parse(host).ToString() : host;
    }

    /// <summary>The host as it goes into a URI authority: IPv6 addresses in brackets.</summary>
    public static string HostForUri(string host) => host.Contains(':') ? $"[{host}]" : host;

    public static int Port(string text, string what)
    {
        var trimmed = text.Trim();
        if (trimmed.Length is 0 or > 5 || !trimmed.All(char.IsAsciiDigit) ||
            !int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new EnrolmentException($"the port '{Shorten(trimmed)}' in the {what} is not a number from 1 to 65535");
        return port;
    }

    public static TakStreamProtocol Protocol(string text, string what) => text.Trim().ToLowerInvariant() switch
    {
        "ssl" or "tls" => TakStreamProtocol.Ssl,
        "tcp" => TakStreamProtocol.Tcp,
        "quic" => TakStreamProtocol.Quic,
        var other => throw new EnrolmentException($"the protocol '{Shorten(other)}' in the {what} is not ssl, tcp or quic"),
    };

    public static string ProtocolName(TakStreamProtocol protocol) => protocol switch
    {
        TakStreamProtocol.Ssl => "ssl",
        TakStreamProtocol.Tcp => "tcp",
        TakStreamProtocol.Quic => "quic",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a TAK stream protocol"),
    };

    /// <summary>
    /// RFC 3986 percent-decoding of a query value, strict: every <c>%</c> starts two hex digits and the bytes are
    /// UTF-8. A <c>+</c> stays a plus (Android's <c>Uri.getQueryParameter</c>, which ATAK uses, does the same;
    /// tokens are often base64 and contain it).
    /// </summary>
    public static string PercentDecode(string value, string what)
    {
        if (!value.Contains('%')) return value;
        var bytes = new List<byte>(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] != '%')
            {
                var next = value.IndexOf('%', i);
                if (next < 0) next = value.Length;
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i..next]));
                i = next;
                continue;
            }

            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                throw new EnrolmentException($"the {what} has a broken %-escape; the code is damaged, ask for a new one");
            bytes.Add(byte.Parse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            i += 3;
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException e)
        {
            throw new EnrolmentException($"the {what} is not UTF-8 text; the code is damaged, ask for a new one", e);
        }
    }

    public static bool HasControl(string text) => text.Any(char.IsControl);

    /// <summary>At most 40 characters of untrusted text, with control characters made visible, for messages.</summary>
    public static string Shorten(string text)
    {
        var shown = new string(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 40 ? shown + "…" : shown;
    }
}
