using System.Collections.Frozen;
using TakCan.Protocols.Cot.Detail;

namespace TakCan.Protocols.Cot.Xml;

/// <summary>The well-known detail elements (../shared/INTEROP.md) by XML name; everything else stays opaque.</summary>
internal static class DetailElementReaders
{
    private static readonly FrozenDictionary<string, Func<XmlNode, DetailElement>> Readers =
        new Dictionary<string, Func<XmlNode, DetailElement>>(StringComparer.Ordinal)
        {
            [Contact.ElementName] = Contact.Read,
            [Group.ElementName] = Group.Read,
            [Takv.ElementName] = Takv.Read,
            [Track.ElementName] = Track.Read,
            [Status.ElementName] = Status.Read,
            [PrecisionLocation.ElementName] = PrecisionLocation.Read,
            [DroidUid.ElementName] = DroidUid.Read,
            [Remarks.ElementName] = Remarks.Read,
            [Link.ElementName] = Link.Read,
            [Chat.ElementName] = Chat.Read,
            [Emergency.ElementName] = Emergency.Read,
            [Video.ElementName] = Video.Read,
            [Geofence.ElementName] = Geofence.Read,
            [Shape.ElementName] = Shape.Read,
            [Marti.ElementName] = Marti.Read,
            [FlowTags.ElementName] = FlowTags.Read,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsWellKnown(ReadOnlySpan<char> name) => Readers.GetAlternateLookup<ReadOnlySpan<char>>().ContainsKey(name);

    public static bool TryGet(string name, out Func<XmlNode, DetailElement> reader) =>
        Readers.TryGetValue(name, out reader!);
}
