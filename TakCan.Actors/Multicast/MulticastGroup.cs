namespace TakCan.Actors.Multicast;

/// <summary>The two ATAK multicast groups.</summary>
public enum MulticastGroup
{
    /// <summary>SA and everything that is not GeoChat (239.2.3.1:6969 by default).</summary>
    Sa,

    /// <summary>GeoChat, <c>b-t-f</c> and its receipts (224.10.10.1:17012 by default).</summary>
    Chat,
}
