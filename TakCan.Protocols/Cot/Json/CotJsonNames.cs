using System.Text.Json;

namespace TakCan.Protocols.Cot.Json;

/// <summary>Property names of the event object and of every detail item (specs/cot-json.md), pre-encoded once.</summary>
internal static class CotJsonNames
{
    public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    public static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText How = JsonEncodedText.Encode("how");
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    public static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
    public static readonly JsonEncodedText Stale = JsonEncodedText.Encode("stale");
    public static readonly JsonEncodedText Access = JsonEncodedText.Encode("access");
    public static readonly JsonEncodedText Qos = JsonEncodedText.Encode("qos");
    public static readonly JsonEncodedText Opex = JsonEncodedText.Encode("opex");
    public static readonly JsonEncodedText Point = JsonEncodedText.Encode("point");
    public static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");

    public static readonly JsonEncodedText Lat = JsonEncodedText.Encode("lat");
    public static readonly JsonEncodedText Lon = JsonEncodedText.Encode("lon");
    public static readonly JsonEncodedText Hae = JsonEncodedText.Encode("hae");
    public static readonly JsonEncodedText Ce = JsonEncodedText.Encode("ce");
    public static readonly JsonEncodedText Le = JsonEncodedText.Encode("le");

    public static readonly JsonEncodedText Element = JsonEncodedText.Encode("element");
    public static readonly JsonEncodedText Xml = JsonEncodedText.Encode("xml");
    public static readonly JsonEncodedText OtherAttributes = JsonEncodedText.Encode("otherAttributes");
    public static readonly JsonEncodedText OtherChildren = JsonEncodedText.Encode("otherChildren");
}
