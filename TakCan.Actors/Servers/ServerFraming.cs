namespace TakCan.Actors.Servers;

/// <summary>How events travel on a server connection (specs/server-links.md, "Framing").</summary>
public enum ServerFraming
{
    /// <summary>CoT XML, each event after an XML declaration, split after <c>&lt;/event&gt;</c>.</summary>
    Xml,

    /// <summary>TAK protocol version 1 streaming: <c>0xBF &lt;varint length&gt; &lt;TakMessage&gt;</c>.</summary>
    TakProtocol,
}
