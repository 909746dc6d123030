namespace TakCan.Actors.Servers;

/// <summary>Where a server link is in its life (specs/server-links.md, "States").</summary>
public enum ServerLinkState
{
    /// <summary>
    /// TCP connect, TLS handshake, auth message and a first ping; the server has not said anything yet, so it may
    /// still refuse this device (a TLS server may reject the client certificate after the handshake).
    /// </summary>
    Connecting,

    /// <summary>The server has spoken; events flow in XML while it may still offer TAK protocol.</summary>
    Connected,

    /// <summary><c>t-x-takp-q</c> sent; nothing more is written until <c>t-x-takp-r</c> arrives.</summary>
    Negotiating,

    /// <summary>The framing is settled for this connection (see <see cref="ServerFraming"/>); events flow both ways.</summary>
    Streaming,

    /// <summary>Disconnected; the next attempt is scheduled.</summary>
    Backoff,
}
