using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers;

/// <summary>
/// One configured TAK Server, as the servers file keeps it and <c>takcan server add</c> gives it
/// (specs/server-links.md, "Configured servers"). Certificates are either files on this machine or credentials that
/// enrolment or a data-package import stored in the key store (<c>keystore:NAME</c>, see
/// <see cref="ServerCredentialNames"/>). Check with <see cref="Validate"/>.
/// </summary>
/// <remarks>Passwords never appear in <see cref="ToString"/>.</remarks>
public sealed record ServerEntry
{
    /// <summary>Marks a certificate or CA kept in the key store under a server name rather than in a file.</summary>
    public const string KeyStorePrefix = "keystore:";

    public const string TcpScheme = "tcp";
    public const string SslScheme = "ssl";

    /// <summary>TAK Server's HTTPS API port (channels, DataSync missions), used when <see cref="MartiUrl"/> is not given.</summary>
    public const int DefaultMartiPort = 8443;

    /// <summary>1 to 64 of <c>A–Z a–z 0–9 . _ -</c>; the link is <c>server-NAME</c> and its events come from <c>server:NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>tcp://HOST:PORT</c> or <c>ssl://HOST:PORT</c>, the URL form node-tak uses; IPv6 hosts in brackets.</summary>
    public required string Url { get; init; }

    /// <summary>The client certificate: an absolute path to a PKCS#12 file, or <c>keystore:NAME</c>; only with <c>ssl://</c>.</summary>
    public string? Certificate { get; init; }

    /// <summary>The password of a PKCS#12 <see cref="Certificate"/> file (a key-store certificate's is in the key store).</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The CA the server's certificate must chain to: an absolute path to a PEM or DER file, or <c>keystore:NAME</c>.</summary>
    public string? Ca { get; init; }

    /// <summary>User name for servers that authenticate by password (TAK Server <c>auth="file"</c> or LDAP).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>
    /// The server's HTTPS API (<c>https://HOST:PORT</c>, specs/marti.md) when it is not the stream's host on port
    /// <see cref="DefaultMartiPort"/> (another port, a proxy path); see <see cref="MartiUri"/>.
    /// </summary>
    public string? MartiUrl { get; init; }

    /// <summary>The key-store server name of <see cref="Certificate"/>, when it is <c>keystore:NAME</c>.</summary>
    [JsonIgnore]
    public string? CertificateInKeyStore => KeyStoreName(Certificate);

    /// <summary>The key-store server name of <see cref="Ca"/>, when it is <c>keystore:NAME</c>.</summary>
    [JsonIgnore]
    public string? CaInKeyStore => KeyStoreName(Ca);

    /// <summary>How an entry refers to credentials stored under <paramref name="serverName"/> in the key store.</summary>
    public static string InKeyStore(string serverName) => KeyStorePrefix + serverName;

    /// <summary>The URL of a stream at <paramref name="host"/>:<paramref name="port"/>, IPv6 in brackets.</summary>
    public static string FormatUrl(bool tls, string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var bracketed = IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return string.Create(CultureInfo.InvariantCulture, $"{(tls ? SslScheme : TcpScheme)}://{bracketed}:{port}");
    }

    /// <summary>Host, port and whether the stream is TLS, read from <see cref="Url"/>.</summary>
    /// <exception cref="ArgumentException">The URL is not <c>tcp://HOST:PORT</c> or <c>ssl://HOST:PORT</c>.</exception>
    public (string Host, int Port, bool Tls) Endpoint()
    {
        var wrong = $"server '{Name}': the url must be tcp://HOST:PORT or ssl://HOST:PORT (for example ssl://tak.example.org:8089), not '{Url}'";
        if (string.IsNullOrWhiteSpace(Url) || !Uri.TryCreate(Url.Trim(), UriKind.Absolute, out var uri)) throw new ArgumentException(wrong, nameof(Url));
        var tls = uri.Scheme switch
        {
            TcpScheme => false,
            SslScheme => true,
            _ => throw new ArgumentException(wrong, nameof(Url)),
        };
        if (uri.Port is < 1 or > 65535 || uri.UserInfo.Length > 0 || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new ArgumentException(wrong, nameof(Url));
        var host = uri.Host.Trim('[', ']');
        if (host.Length == 0) throw new ArgumentException(wrong, nameof(Url));
        return (host, uri.Port, tls);
    }

    /// <summary>The base address of the server's HTTPS API: <see cref="MartiUrl"/>, else <c>https://</c> the stream's host <c>:8443</c>.</summary>
    /// <exception cref="ArgumentException">Either URL is malformed.</exception>
    public Uri MartiUri()
    {
        if (MartiUrl is null) return new UriBuilder(Uri.UriSchemeHttps, Endpoint().Host, DefaultMartiPort).Uri;
        if (!Uri.TryCreate(MartiUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0 ||
            uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new ArgumentException(
                $"server '{Name}': the API url must be https://HOST:PORT (for example https://tak.example.org:{DefaultMartiPort}), not '{MartiUrl}'", nameof(MartiUrl));
        return uri;
    }

    /// <summary>Checks everything that can be checked without opening files.</summary>
    /// <exception cref="ArgumentException">What is wrong, in words for whoever typed it.</exception>
    public void Validate()
    {
        try
        {
            ServerCredentialNames.For(Name ?? "");
        }
        catch (EnrolmentException e)
        {
            throw new ArgumentException(e.Message, nameof(Name), e);
        }

        var (_, _, tls) = Endpoint();
        if (MartiUrl is not null) MartiUri();
        CheckReference(Certificate, nameof(Certificate), "client certificate", "a PKCS#12 file");
        CheckReference(Ca, nameof(Ca), "CA", "a PEM or DER file");
        if (tls)
        {
            // specs/server-links.md, "TLS": the server is verified against a configured CA only; nothing is accepted blindly.
            if (Ca is null)
                throw new ArgumentException($"server '{Name}': ssl:// needs the CA that signed the server's certificate (a PEM file, or {KeyStorePrefix}NAME)", nameof(Ca));
            if (Certificate is null && string.IsNullOrEmpty(Username))
                throw new ArgumentException($"server '{Name}': ssl:// needs a client certificate, or a user name for a server that takes passwords over TLS", nameof(Certificate));
        }
        else if (Certificate is not null || Ca is not null)
        {
            throw new ArgumentException($"server '{Name}': certificates are for ssl:// servers; use ssl://HOST:PORT (usually port 8089) or leave them out", nameof(Url));
        }

        if (CertificatePassword is not null && Certificate is null)
            throw new ArgumentException($"server '{Name}': a certificate password without a certificate", nameof(CertificatePassword));
        if (CertificatePassword is not null && CertificateInKeyStore is not null)
            throw new ArgumentException($"server '{Name}': a certificate from the key store has its password there; give none", nameof(CertificatePassword));
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            throw new ArgumentException($"server '{Name}': give both a user name and a password, or neither", nameof(Username));
    }

    private void CheckReference(string? value, string property, string what, string file)
    {
        if (value is null) return;
        if (KeyStoreName(value) is { } stored)
        {
            try
            {
                ServerCredentialNames.For(stored);
            }
            catch (EnrolmentException e)
            {
                throw new ArgumentException($"server '{Name}': {what} {value}: {e.Message}", property, e);
            }
        }
        else if (!Path.IsPathFullyQualified(value))
        {
            // The node may run in another directory than whoever typed a relative path.
            throw new ArgumentException($"server '{Name}': the {what} must be {file} given by its full path, or {KeyStorePrefix}NAME; '{value}' is neither", property);
        }
    }

    private static string? KeyStoreName(string? reference) =>
        reference is not null && reference.StartsWith(KeyStorePrefix, StringComparison.Ordinal) ? reference[KeyStorePrefix.Length..] : null;

    // Entries are logged; their passwords must not be.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Url = ").Append(Url);
        if (Certificate is not null) builder.Append(", Certificate = ").Append(Certificate);
        if (CertificatePassword is not null) builder.Append(", CertificatePassword = ***");
        if (Ca is not null) builder.Append(", Ca = ").Append(Ca);
        if (Username is not null) builder.Append(", Username = ").Append(Username);
        if (Password is not null) builder.Append(", Password = ***");
        if (MartiUrl is not null) builder.Append(", MartiUrl = ").Append(MartiUrl);
        return true;
    }
}
