using System.Text;

namespace TakCan.Protocols.Enrolment;

/// <summary>
/// The TAK Server to enrol with and, where the code carries them, the credentials to enrol with: read from an ATAK
/// enrolment code <c>tak://com.atakmap.app/enroll?host=H[:port[:proto]]&amp;username=U&amp;token=T</c>, an iTAK
/// quick-connect code <c>Name,Address,Port,Protocol</c>, or plain arguments. Enrolment itself always goes to HTTPS
/// on <see cref="EnrolmentPort"/> (8446); <see cref="Server"/> is the CoT stream to use afterwards. Layout and
/// rules: specs/enrolment.md, "Codes".
/// </summary>
/// <remarks>The token is a password: <see cref="ToString"/> never shows it.</remarks>
public sealed record EnrolmentTarget
{
    public const int DefaultEnrolmentPort = 8446;
    public const int MaxCodeLength = 4096;
    public const int MaxUsernameLength = 256;
    public const int MaxTokenLength = 1024;
    public const int MaxNameLength = 128;

    public const string EnrolUriPrefix = "tak://com.atakmap.app/";
    private const string EnrolAction = "enroll";

    /// <param name="server">The CoT stream to connect to once enrolled; its host is also the enrolment host.</param>
    public EnrolmentTarget(TakConnectString server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
    }

    public TakConnectString Server { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Host of both the enrolment API and the CoT stream.</summary>
    public string Host => Server.Host;

    public int EnrolmentPort
    {
        get;
        init => field = value is >= 1 and <= 65535
            ? value
            : throw new EnrolmentException($"the enrolment port {value} is not a number from 1 to 65535");
    } = DefaultEnrolmentPort;

    /// <summary>User name for HTTP Basic authentication and the certificate's CN; null when the code carries none.</summary>
    public string? Username { get; init => field = value is null ? null : ValidateUsername(value); }

    /// <summary>Password or one-time enrolment token; null when the code carries none.</summary>
    public string? Token { get; init => field = value is null ? null : ValidateToken(value); }

    /// <summary>A display name for the server (iTAK codes carry one); null when there is none.</summary>
    public string? Name { get; init => field = value is null ? null : ValidateName(value); }

    /// <summary>The enrolment API's base address, <c>https://host:8446/</c>.</summary>
    public Uri EnrolmentBaseUri => new($"https://{EnrolmentText.HostForUri(Host)}:{EnrolmentPort}/");

    /// <summary>
    /// Reads a scanned or pasted code: a <c>tak://com.atakmap.app/enroll?…</c> URI, an iTAK
    /// <c>Name,Address,Port,Protocol</c> line, or a plain <c>host[:port[:protocol]]</c>.
    /// </summary>
    /// <exception cref="EnrolmentException">The code is malformed; the message says how.</exception>
    public static EnrolmentTarget Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var text = code.Trim();
        if (text.Length == 0) throw new EnrolmentException("the enrolment code is empty");
        if (text.Length > MaxCodeLength)
            throw new EnrolmentException($"the enrolment code is {text.Length} characters long, more than the {MaxCodeLength} a TAK code can be; it is not an enrolment code");
        if (EnrolmentText.HasControl(text))
            throw new EnrolmentException("the enrolment code contains control characters (line breaks, tabs); scan or paste it again");
        if (text.StartsWith("tak:", StringComparison.OrdinalIgnoreCase)) return ParseTakUri(text);
        if (text.Contains("://", StringComparison.Ordinal))
            throw new EnrolmentException($"'{EnrolmentText.Shorten(text)}' is not an enrolment code: use a tak://com.atakmap.app/enroll code, an iTAK Name,Address,Port,Protocol code or a host name");
        if (text.Contains(',')) return ParseItak(text);
        return new EnrolmentTarget(TakConnectString.ParseShort(text));
    }

    /// <summary>A target from command-line arguments; <paramref name="server"/> is <c>host[:port[:protocol]]</c>.</summary>
    /// <exception cref="EnrolmentException">An argument is out of range.</exception>
    public static EnrolmentTarget Create(string server, string? username = null, string? token = null, int enrolmentPort = DefaultEnrolmentPort) =>
        new(TakConnectString.ParseShort(server)) { Username = username, Token = token, EnrolmentPort = enrolmentPort };

    public override string ToString()
    {
        var text = new StringBuilder();
        if (Name is not null) text.Append(Name).Append(' ');
        text.Append(Username is null ? "" : Username + "@").Append(Server).Append(" (enrolment port ").Append(EnrolmentPort).Append(')');
        if (Token is not null) text.Append(", token given");
        return text.ToString();
    }

    private static EnrolmentTarget ParseTakUri(string text)
    {
        var query = text.IndexOf('?');
        var location = query < 0 ? text : text[..query];
        if (!location.StartsWith(EnrolUriPrefix, StringComparison.OrdinalIgnoreCase))
            throw new EnrolmentException($"'{EnrolmentText.Shorten(location)}' is not an ATAK code: it should start with {EnrolUriPrefix}{EnrolAction}?");
        var action = location[EnrolUriPrefix.Length..].TrimEnd('/');
        if (!action.Equals(EnrolAction, StringComparison.OrdinalIgnoreCase))
            throw new EnrolmentException($"this is an ATAK '{EnrolmentText.Shorten(action)}' code, not an enrolment code ({EnrolUriPrefix}{EnrolAction}?…)");
        if (query < 0)
            throw new EnrolmentException("the enrolment code has no parameters; it should carry host=, username= and token=");

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text[(query + 1)..].Split('&'))
        {
            if (part.Length == 0) continue;
            var equals = part.IndexOf('=');
            if (equals <= 0)
                throw new EnrolmentException($"the enrolment code is damaged: '{EnrolmentText.Shorten(part)}' is not a name=value parameter; ask for a new code");
            var name = part[..equals];
            // Unknown parameters are left for newer ATAK versions; a repeated one is ambiguous.
            if (!values.TryAdd(name, part[(equals + 1)..]))
                throw new EnrolmentException($"the enrolment code has the parameter '{EnrolmentText.Shorten(name)}' twice; it is damaged, ask for a new code");
        }

        if (!values.TryGetValue("host", out var host) || host.Length == 0)
            throw new EnrolmentException("the enrolment code has no host=; it is incomplete, ask for a new code");
        if (!values.TryGetValue("username", out var username) || username.Length == 0)
            throw new EnrolmentException("the enrolment code has no username=; it is incomplete, ask for a new code");
        values.TryGetValue("token", out var token);

        return new EnrolmentTarget(TakConnectString.ParseShort(EnrolmentText.PercentDecode(host, "host"), "enrolment code's host"))
        {
            Username = EnrolmentText.PercentDecode(username, "username"),
            Token = string.IsNullOrEmpty(token) ? null : EnrolmentText.PercentDecode(token, "token"),
        };
    }

    private static EnrolmentTarget ParseItak(string text)
    {
        // Name,Address,Port,Protocol: the last three fields never contain a comma, so a name may.
        var fields = text.Split(',');
        if (fields.Length < 4)
            throw new EnrolmentException($"an iTAK code has four fields, Name,Address,Port,Protocol; '{EnrolmentText.Shorten(text)}' has {fields.Length}");
        var name = string.Join(',', fields[..^3]).Trim();
        const string what = "iTAK code";
        var server = new TakConnectString(
            fields[^3],
            EnrolmentText.Port(fields[^2], what),
            EnrolmentText.Protocol(fields[^1], what));
        return new EnrolmentTarget(server) { Name = name.Length == 0 ? null : name };
    }

    private static string ValidateUsername(string value)
    {
        if (value.Length == 0) throw new EnrolmentException("the user name is empty");
        if (value.Length > MaxUsernameLength) throw new EnrolmentException($"the user name is longer than {MaxUsernameLength} characters");
        if (EnrolmentText.HasControl(value)) throw new EnrolmentException("the user name contains control characters");
        // HTTP Basic splits user:password at the first colon (RFC 7617 section 2), so such a name cannot log in.
        if (value.Contains(':')) throw new EnrolmentException($"the user name '{EnrolmentText.Shorten(value)}' contains ':', which HTTP Basic authentication cannot carry");
        if (value.Trim().Length != value.Length) throw new EnrolmentException($"the user name '{EnrolmentText.Shorten(value)}' starts or ends with white space");
        return value;
    }

    private static string ValidateToken(string value)
    {
        if (value.Length == 0) throw new EnrolmentException("the password or token is empty");
        if (value.Length > MaxTokenLength) throw new EnrolmentException($"the password or token is longer than {MaxTokenLength} characters");
        if (EnrolmentText.HasControl(value)) throw new EnrolmentException("the password or token contains control characters");
        return value;
    }

    private static string ValidateName(string value)
    {
        if (value.Length > MaxNameLength) throw new EnrolmentException($"the server name is longer than {MaxNameLength} characters");
        if (EnrolmentText.HasControl(value)) throw new EnrolmentException("the server name contains control characters");
        return value;
    }
}
