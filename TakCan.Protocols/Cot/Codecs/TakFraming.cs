namespace TakCan.Protocols.Cot.Codecs;

/// <summary>How TAK Protocol messages are delimited (ATAK-CIV takproto/README.md).</summary>
public enum TakFraming
{
    /// <summary>A bare TakMessage: one message per input.</summary>
    None,

    /// <summary>Mesh datagram header <c>0xBF 1 0xBF</c>: one message per datagram.</summary>
    Mesh,

    /// <summary>Streaming header <c>0xBF &lt;varint length&gt;</c>: any number of messages back to back.</summary>
    Stream,
}
