using System.Text.Json;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// Channels: TAK Server's <c>GET /Marti/api/groups/all</c> answer (<c>{data: [{name, direction, active, bitpos, type,
/// created, description}]}</c>) and the body of <c>PUT /Marti/api/groups/active</c> (a JSON array of the same records
/// with the wanted <c>active</c> bits). specs/marti.md, "Channels".
/// </summary>
public static class MartiGroups
{
    private const string What = "server's group list";

    /// <exception cref="MartiException">Not a group list, over a limit, or a group without a name or direction.</exception>
    public static IReadOnlyList<MartiGroup> Parse(ReadOnlyMemory<byte> json, MartiLimits? limits = null)
    {
        limits ??= MartiLimits.Default;
        using var document = MartiJson.Parse(json, limits, What);
        var groups = new List<MartiGroup>();
        var index = 0;
        foreach (var item in MartiJson.Array(MartiJson.Data(document.RootElement, What), What, limits.MaxGroups, "groups"))
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
                throw new MartiException($"group {index} in the {What} is not a JSON object");
            var name = MartiJson.String(item, "name");
            if (string.IsNullOrEmpty(name))
                throw new MartiException($"group {index} in the {What} has no name");
            groups.Add(new MartiGroup(name, Direction(item, name), MartiJson.Bool(item, "active"), MartiJson.String(item, "description"))
            {
                Bitpos = MartiJson.Long(item, "bitpos") is { } bit and >= int.MinValue and <= int.MaxValue ? (int)bit : null,
                Type = MartiJson.String(item, "type"),
                Created = MartiJson.String(item, "created"),
            });
        }

        return groups;
    }

    /// <summary>The body of <c>PUT /Marti/api/groups/active</c>: every record, as read, with its active bit.</summary>
    public static byte[] ToActiveJson(IEnumerable<MartiGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var group in groups)
            {
                writer.WriteStartObject();
                writer.WriteString("name", group.Name);
                writer.WriteString("direction", group.Direction == MartiGroupDirection.In ? "IN" : "OUT");
                if (group.Created is not null) writer.WriteString("created", group.Created);
                if (group.Type is not null) writer.WriteString("type", group.Type);
                if (group.Bitpos is { } bitpos) writer.WriteNumber("bitpos", bitpos);
                writer.WriteBoolean("active", group.Active);
                if (group.Description is not null) writer.WriteString("description", group.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }

    // TAK Server fills a missing direction with OUT (GroupsApi.getAllGroups); anything else is not a group record.
    private static MartiGroupDirection Direction(JsonElement item, string name) => MartiJson.String(item, "direction") switch
    {
        null => MartiGroupDirection.Out,
        var text when text.Equals("IN", StringComparison.OrdinalIgnoreCase) => MartiGroupDirection.In,
        var text when text.Equals("OUT", StringComparison.OrdinalIgnoreCase) => MartiGroupDirection.Out,
        var text => throw new MartiException($"group '{MartiJson.Shorten(name)}' in the {What} has direction '{MartiJson.Shorten(text)}'; TAK Server writes IN or OUT"),
    };
}
