using System.Text;

namespace TakCan.Actors.Servers;

/// <summary>
/// The message a TAK Server input with username/password authentication expects before anything else:
/// <c>&lt;auth&gt;&lt;cot username="…" password="…" uid="…"/&gt;&lt;/auth&gt;</c> after an XML declaration, as ATAK's
/// commoncommo writes it (TAK Server's AuthMessage/AuthCot model; specs/server-links.md, "Authentication").
/// </summary>
public static class ServerAuthMessage
{
    /// <summary>TAK Server reads the auth message into a 1024-byte buffer and closes the connection beyond it.</summary>
    public const int MaxBytes = 1024;

    /// <exception cref="ArgumentException">The message would not fit TAK Server's buffer.</exception>
    public static byte[] Build(ServerCredentials credentials, string deviceUid)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var xml = new StringBuilder("<?xml version=\"1.0\"?>\n<auth><cot username=\"")
            .Append(Escape(credentials.Username))
            .Append("\" password=\"").Append(Escape(credentials.Password))
            .Append("\" uid=\"").Append(Escape(deviceUid))
            .Append("\"/></auth>")
            .ToString();
        var bytes = Encoding.UTF8.GetBytes(xml);
        if (bytes.Length > MaxBytes)
            throw new ArgumentException($"the auth message is {bytes.Length} bytes; TAK Server accepts at most {MaxBytes} (shorten the username or password)");
        return bytes;
    }

    private static string Escape(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
