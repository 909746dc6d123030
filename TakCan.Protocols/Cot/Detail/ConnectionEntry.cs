using TakCan.Protocols.Cot.Xml;

namespace TakCan.Protocols.Cot.Detail;

/// <summary>ATAK's video connection description inside <c>__video</c>: protocol, address, port, path and player settings.</summary>
public sealed record ConnectionEntry : DetailElement
{
    public const string ElementName = "ConnectionEntry";

    public override string Name => ElementName;

    public string? Uid { get; init; }

    public string? Alias { get; init; }

    /// <summary>rtsp, rtmp, rtp, udp, srt, http, https…</summary>
    public string? Protocol { get; init; }

    public string? Address { get; init; }

    public int? Port { get; init; }

    public string? Path { get; init; }

    public int? NetworkTimeout { get; init; }

    public int? BufferTime { get; init; }

    public int? RoverPort { get; init; }

    public int? RtspReliable { get; init; }

    public bool? IgnoreEmbeddedKlv { get; init; }

    internal static ConnectionEntry Read(XmlNode node) => new()
    {
        NetworkTimeout = node.TakeInt("networkTimeout"),
        Uid = node.Take("uid"),
        Path = node.Take("path"),
        Protocol = node.Take("protocol"),
        BufferTime = node.TakeInt("bufferTime"),
        Address = node.Take("address"),
        Port = node.TakeInt("port"),
        RoverPort = node.TakeInt("roverPort"),
        RtspReliable = node.TakeInt("rtspReliable"),
        IgnoreEmbeddedKlv = node.TakeBool("ignoreEmbeddedKLV"),
        Alias = node.Take("alias"),
        OtherAttributes = node.RestAttributes(),
        OtherChildren = node.RestChildren(),
    };

    private protected override void WriteAttributes(CotXmlBuilder xml)
    {
        xml.Attribute("networkTimeout", NetworkTimeout);
        xml.Attribute("uid", Uid);
        xml.Attribute("path", Path);
        xml.Attribute("protocol", Protocol);
        xml.Attribute("bufferTime", BufferTime);
        xml.Attribute("address", Address);
        xml.Attribute("port", Port);
        xml.Attribute("roverPort", RoverPort);
        xml.Attribute("rtspReliable", RtspReliable);
        xml.Attribute("ignoreEmbeddedKLV", IgnoreEmbeddedKlv);
        xml.Attribute("alias", Alias);
    }
}
