using System.Buffers;
using MessagePack;

namespace TakCan.Protocols.Bridge;

/// <summary>
/// A bridge tells the mesh which servers it bridges (specs/bridge.md, "Several bridges"): <c>["bridge", 1, [realm (bin 8)…]]</c>.
/// The origin of the envelope is the bridge. A realm names a TAK Server the same way on every bridge that links to it.
/// </summary>
public sealed record BridgeAnnouncement(IReadOnlyList<BridgeRealm> Realms) : BridgeControlMessage
{
    public const string Type = "bridge";
    public const int MaxRealms = 16;
    private const int Fields = 1;

    public override byte[] ToBytes()
    {
        if (Realms.Count > MaxRealms) throw new BridgeMessageException($"a bridge announces at most {MaxRealms} servers, not {Realms.Count}");
        return Pack(Type, Fields, (ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(Realms.Count);
            foreach (var realm in Realms) w.Write(realm.ToBytes());
        });
    }

    internal static BridgeAnnouncement ReadFields(ref MessagePackReader reader, int count)
    {
        if (count < Fields) throw new BridgeMessageException("bridge announcement has no realms");
        var realmCount = reader.ReadArrayHeader();
        if (realmCount > MaxRealms) throw new BridgeMessageException($"bridge announcement has {realmCount} realms, at most {MaxRealms}");
        var realms = new List<BridgeRealm>(realmCount);
        for (var i = 0; i < realmCount; i++)
        {
            var bytes = reader.ReadBytes() ?? throw new BridgeMessageException("bridge realm is nil");
            if (bytes.Length != BridgeRealm.Size) throw new BridgeMessageException($"bridge realm is {bytes.Length} bytes, not {BridgeRealm.Size}");
            realms.Add(BridgeRealm.Read(bytes.ToArray()));
        }

        SkipRest(ref reader, count - Fields);
        return new BridgeAnnouncement(realms);
    }

    public bool Equals(BridgeAnnouncement? other) => other is not null && Realms.SequenceEqual(other.Realms);

    public override int GetHashCode() => Realms.Count;
}
