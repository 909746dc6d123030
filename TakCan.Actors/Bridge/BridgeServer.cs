using System.Security.Cryptography.X509Certificates;
using TakCan.Protocols.Bridge;

namespace TakCan.Actors.Bridge;

/// <summary>A configured TAK Server as the bridge sees it: its realm and the CA that onboards peers for it.</summary>
/// <param name="Name">The server's name on this device (its link is <c>servers/server-NAME</c>).</param>
/// <param name="Authorities">The CA certificates it is trusted by; empty for plain TCP or an unreadable CA (no onboarding).</param>
public sealed record BridgeServer(string Name, BridgeRealm Realm, IReadOnlyList<X509Certificate2> Authorities);
