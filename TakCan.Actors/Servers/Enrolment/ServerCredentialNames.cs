using System.Text;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>
/// The key-store names one TAK server's credentials live under, whether they came from enrolment or a data package:
/// <c>takserver-NAME.p12</c> (client certificate, private key and CA chain, PKCS#12), <c>takserver-NAME.p12.password</c>
/// (its generated password) and <c>takserver-NAME.ca.pem</c> (the CA certificates that verify the server).
/// </summary>
public sealed record ServerCredentialNames
{
    public const int MaxServerNameLength = 64;
    private const string Prefix = "takserver-";

    private ServerCredentialNames(string serverName)
    {
        ServerName = serverName;
        ClientCertificate = $"{Prefix}{serverName}.p12";
        ClientPassword = $"{Prefix}{serverName}.p12.password";
        CaCertificates = $"{Prefix}{serverName}.ca.pem";
    }

    public string ServerName { get; }

    public string ClientCertificate { get; }

    public string ClientPassword { get; }

    public string CaCertificates { get; }

    /// <summary>
    /// The names for a server called <paramref name="serverName"/>: 1 to 64 of <c>A–Z a–z 0–9 . _ -</c>, not starting
    /// with '.', without '..' (the names of <c>takcan server add NAME</c>).
    /// </summary>
    /// <exception cref="EnrolmentException">The name does not fit those rules.</exception>
    public static ServerCredentialNames For(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        if (serverName.Length is 0 or > MaxServerNameLength || serverName.StartsWith('.') || serverName.Contains("..", StringComparison.Ordinal) ||
            !serverName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new EnrolmentException($"'{serverName}' is not a server name: use 1 to {MaxServerNameLength} letters, digits, '.', '_' or '-'");
        return new ServerCredentialNames(serverName);
    }

    /// <summary>A server name made from a host: lower case, other characters (IPv6 colons) as '-'.</summary>
    public static string NameFor(string host)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var name = new StringBuilder(Math.Min(host.Length, MaxServerNameLength));
        foreach (var c in host.ToLowerInvariant().Take(MaxServerNameLength))
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        var text = name.ToString().TrimStart('.');
        while (text.Contains("..", StringComparison.Ordinal)) text = text.Replace("..", ".", StringComparison.Ordinal);
        return text.Length == 0 ? "server" : text;
    }
}
