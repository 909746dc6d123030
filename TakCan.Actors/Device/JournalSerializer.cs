using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using TakCan.Actors.Bridge;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using TakCan.Actors.Situation.Store;

namespace TakCan.Actors.Device;

/// <summary>
/// The journal's format for device events and snapshots (specs/device.md, "Persistence"): JSON of the record's
/// properties under a manifest name that never changes. Akka's default serializer stores the .NET type name, so
/// moving or renaming a record would make every existing journal unreadable; here only the manifest table must
/// keep its names. Events written before this serializer existed keep reading through Akka's default one (each
/// stored event carries the id of the serializer that wrote it).
/// </summary>
/// <remarks>
/// A record's JSON is its property names: renaming a property loses that field in old events (it reads as its
/// default), so add a property (nullable or defaulted) rather than rename one, and add a record rather than change
/// the meaning of one.
/// </remarks>
public sealed class JournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Akka serializer id; ids up to 100 are Akka's own.</summary>
    public const int Id = 7317;

    /// <summary>HOCON that registers the serializer and binds every <see cref="IJournalRecord"/> to it.</summary>
    public static readonly string Hocon = $$"""
        akka.actor {
          serializers.takcan-journal = "{{typeof(JournalSerializer).FullName}}, {{typeof(JournalSerializer).Assembly.GetName().Name}}"
          serialization-bindings {
            "{{typeof(IJournalRecord).FullName}}, {{typeof(IJournalRecord).Assembly.GetName().Name}}" = takcan-journal
          }
          serialization-identifiers {
            "{{typeof(JournalSerializer).FullName}}, {{typeof(JournalSerializer).Assembly.GetName().Name}}" = {{Id}}
          }
        }
        """;

    // Never rename or reuse a manifest: it is what old journals are read by.
    private static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(ContactsJournal.ContactSeen)] = "contacts.seen.v1",
        [typeof(ContactsJournal.ContactRemoved)] = "contacts.removed.v1",
        [typeof(ContactsJournal.ContactsSnapshot)] = "contacts.snapshot.v1",
        [typeof(ChatJournal.ChatSent)] = "chat.sent.v1",
        [typeof(ChatJournal.ChatReceived)] = "chat.received.v1",
        [typeof(ChatJournal.ChatAcknowledged)] = "chat.acknowledged.v1",
        [typeof(ChatJournal.ChatSnapshot)] = "chat.snapshot.v1",
        [typeof(EmergencyJournal.EmergencyRaised)] = "emergency.raised.v1",
        [typeof(EmergencyJournal.EmergencyCancelled)] = "emergency.cancelled.v1",
        [typeof(EmergencyJournal.EmergencyAcknowledged)] = "emergency.acknowledged.v1",
        [typeof(EmergencyJournal.EmergencyResent)] = "emergency.resent.v1",
        [typeof(EmergencyJournal.EmergencySnapshot)] = "emergency.snapshot.v1",
        [typeof(CotStoreJournal.CotStored)] = "store.stored.v1",
        [typeof(CotStoreJournal.CotPruned)] = "store.pruned.v1",
        [typeof(CotStoreJournal.CotStoreSnapshot)] = "store.snapshot.v1",
        [typeof(BridgeJournal.PeerOnboarded)] = "bridge.onboarded.v1",
        [typeof(BridgeJournal.PeerRemoved)] = "bridge.removed.v1",
        [typeof(BridgeJournal.PeerRevoked)] = "bridge.revoked.v1",
    };

    private static readonly IReadOnlyDictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };

    public override int Identifier => Id;

    /// <summary>Every record type the serializer knows, with its manifest.</summary>
    public static IReadOnlyDictionary<Type, string> Known => Manifests;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new SerializationException($"{o.GetType()} is an {nameof(IJournalRecord)} without a manifest in {nameof(JournalSerializer)}");

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj); // refuse to write what could not be read back
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"journal record {manifest} is empty")
            : throw new SerializationException($"unknown journal record {manifest}");
}
