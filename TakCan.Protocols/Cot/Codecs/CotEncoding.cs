namespace TakCan.Protocols.Cot.Codecs;

/// <summary>How CoT events are encoded on a wire or in a file.</summary>
public enum CotEncoding
{
    /// <summary>CoT XML (TAK protocol version 0).</summary>
    Xml,

    /// <summary>TAK Protocol version 1 (protobuf TakMessage).</summary>
    Proto,

    /// <summary>TAK Can's CoT JSON (specs/cot-json.md), one event per line.</summary>
    Json,
}
