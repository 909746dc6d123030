using System.Globalization;
using System.Net;

namespace TakCan.Host.Console.Api;

/// <summary>Where the local API listens, parsed from its URL once, with whether that is loopback only.</summary>
internal sealed record ApiListenAddress(IPAddress? Address, int Port, bool IsLoopback)
{
    /// <summary><see langword="null"/> address: <c>localhost</c>, both loopback addresses.</summary>
    public bool IsLocalhost => Address is null;

    public static ApiListenAddress Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        // Kestrel's "any address" spellings are not hosts a Uri accepts.
        var normalised = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new LocalApiException($"the API URL must look like http://127.0.0.1:8780, not '{url}'");
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new LocalApiException($"the API URL is only scheme, host and port (http://HOST:PORT), not '{url}'");

        if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return new ApiListenAddress(null, uri.Port, IsLoopback: true);
        if (!IPAddress.TryParse(uri.DnsSafeHost, out var address))
            throw new LocalApiException($"the API URL host must be an IP address or localhost, not '{uri.Host}'");
        return new ApiListenAddress(address, uri.Port, IPAddress.IsLoopback(address));
    }

    public override string ToString() => Address switch
    {
        null => string.Create(CultureInfo.InvariantCulture, $"http://localhost:{Port}"),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => string.Create(CultureInfo.InvariantCulture, $"http://[{Address}]:{Port}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"http://{Address}:{Port}"),
    };
}
