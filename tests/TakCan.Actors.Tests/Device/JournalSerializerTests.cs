using System.Reflection;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using TakCan.Actors.Device;
using Xunit.Abstractions;

namespace TakCan.Actors.Tests.Device;

/// <summary>
/// Every persisted device record goes through <see cref="JournalSerializer"/> under a stable manifest, comes back
/// whole (recovery from the SQLite journal across restarts is what the situation and bridge actor tests exercise).
/// </summary>
public sealed class JournalSerializerTests(ITestOutputHelper output) : SqliteTestKit(output)
{
    private static readonly DateTime When = new(2026, 3, 4, 5, 6, 7, 890, DateTimeKind.Utc);

    public static TheoryData<string> KnownTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in JournalSerializer.Known.Keys) data.Add(type.FullName!);
        return data;
    }

    [Theory]
    [MemberData(nameof(KnownTypes))]
    public void A_record_round_trips_under_its_manifest(string typeName)
    {
        var type = JournalSerializer.Known.Keys.Single(t => t.FullName == typeName);
        var record = Sample(type);

        var serializer = Sys.Serialization.FindSerializerFor(record);
        var bytes = serializer.ToBinary(record);
        var manifest = Assert.IsAssignableFrom<SerializerWithStringManifest>(serializer).Manifest(record);
        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType<JournalSerializer>(serializer);
        Assert.Equal(JournalSerializer.Known[type], manifest);
        Assert.IsType(type, back);
        Assert.Equal(JsonSerializer.Serialize(record, type), JsonSerializer.Serialize(back, type));
        Assert.DoesNotContain(type.Name, System.Text.Encoding.UTF8.GetString(bytes)); // no .NET type names on disk
    }

    [Fact]
    public void Every_persisted_record_of_the_actors_has_a_manifest_and_manifests_are_unique()
    {
        var records = typeof(IJournalRecord).Assembly.GetTypes()
            .Where(t => typeof(IJournalRecord).IsAssignableFrom(t) && !t.IsInterface)
            .ToArray();

        Assert.NotEmpty(records);
        Assert.All(records, t => Assert.True(JournalSerializer.Known.ContainsKey(t), $"{t} has no manifest"));
        Assert.Equal(JournalSerializer.Known.Count, JournalSerializer.Known.Values.Distinct().Count());
    }

    [Fact]
    public async Task The_sqlite_journal_holds_manifests_not_type_names_and_recovers_from_them()
    {
        var contacts = Sys.ActorOf(TakCan.Actors.Situation.Contacts.ContactsActor.Props("journal-format/contacts", "SELF"));
        contacts.Tell(new DeviceProtocol.CotReceived(SampleCot.Sa("ANDROID-1", "ALPHA", DateTime.UtcNow), new CotSource(CotSourceKind.Mesh, "mesh", 1)));
        await AwaitAssertAsync(() => Assert.Equal(1, JournalRows("journal-format/contacts")), Patience);

        Assert.Equal(JournalSerializer.Id, Scalar("SELECT identifier FROM journal WHERE persistence_id = 'journal-format/contacts'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM journal WHERE persistence_id = 'journal-format/contacts' AND manifest = 'contacts.seen.v1'"));

        Watch(contacts);
        Sys.Stop(contacts);
        ExpectTerminated(contacts);
        var again = Sys.ActorOf(TakCan.Actors.Situation.Contacts.ContactsActor.Props("journal-format/contacts", "SELF"));
        var list = await again.Ask<TakCan.Actors.Situation.Contacts.ContactsProtocol.ContactList>(
            TakCan.Actors.Situation.Contacts.ContactsProtocol.GetContacts.Instance, Patience);
        var alpha = Assert.Single(list.Contacts);
        Assert.Equal(("ALPHA", (int?)1), (alpha.Callsign, alpha.Hops));
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_its_name()
    {
        var serializer = (JournalSerializer)Sys.Serialization.FindSerializerForType(typeof(IJournalRecord));

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "contacts.teleported.v1"));

        Assert.Contains("contacts.teleported.v1", error.Message);
    }

    /// <summary>An instance with every field set (one element in every list), built from the record's constructor.</summary>
    private static object Sample(Type type)
    {
        if (type == typeof(string)) return "x";
        if (type == typeof(int)) return 3;
        if (type == typeof(long)) return 4L;
        if (type == typeof(double)) return 5.5;
        if (type == typeof(bool)) return true;
        if (type == typeof(DateTime)) return When;
        if (type == typeof(byte[])) return new byte[] { 1, 2, 3 };
        if (Nullable.GetUnderlyingType(type) is { } inner) return Sample(inner);
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 1);
            array.SetValue(Sample(type.GetElementType()!), 0);
            return array;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Sample(element), 0);
            return array;
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray());
    }
}
