using System.Text.Json;
using TakCan.Protocols.Cot;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// DataSync missions: TAK Server's answers to <c>GET /Marti/api/missions</c> (<c>{data: [mission…]}</c>) and
/// <c>GET /Marti/api/missions/{name}</c> (<c>{data: [mission]}</c>). A mission's <c>uids</c> and <c>contents</c> are
/// lists of <c>{data, timestamp, creatorUid}</c> records around the uid or the resource; plain uids and bare resources
/// are read too. specs/marti.md, "Missions".
/// </summary>
public static class MartiMissions
{
    private const string ListWhat = "server's mission list";

    /// <exception cref="MartiException">Not a mission list, over a limit, a mission without a name or a content without a hash.</exception>
    public static IReadOnlyList<MartiMission> ParseList(ReadOnlyMemory<byte> json, MartiLimits? limits = null)
    {
        limits ??= MartiLimits.Default;
        using var document = MartiJson.Parse(json, limits, ListWhat);
        return ReadList(MartiJson.Data(document.RootElement, ListWhat), limits, ListWhat);
    }

    /// <summary>The mission called <paramref name="name"/> from the answer to <c>GET /Marti/api/missions/{name}</c>.</summary>
    /// <exception cref="MartiException">As <see cref="ParseList"/>, or the answer holds no such mission.</exception>
    public static MartiMission ParseOne(ReadOnlyMemory<byte> json, string name, MartiLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        limits ??= MartiLimits.Default;
        var what = $"server's answer for mission '{MartiJson.Shorten(name)}'";
        using var document = MartiJson.Parse(json, limits, what);
        var data = MartiJson.Data(document.RootElement, what);
        var missions = data.ValueKind == JsonValueKind.Object ? [Read(data, 1, limits, what)] : ReadList(data, limits, what);
        // TAK Server compares mission names without regard to case.
        return missions.FirstOrDefault(m => m.Name == name)
               ?? missions.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
               ?? throw new MartiException($"the {what} does not describe that mission", statusCode: 404);
    }

    internal static MartiMission Read(JsonElement item, int index, MartiLimits limits, string what)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw new MartiException($"mission {index} in the {what} is not a JSON object");
        var name = MartiJson.String(item, "name");
        if (string.IsNullOrEmpty(name))
            throw new MartiException($"mission {index} in the {what} has no name");
        var missionWhat = $"mission '{MartiJson.Shorten(name)}'";
        return new MartiMission(name, MartiJson.String(item, "description") ?? "")
        {
            CreatorUid = MartiJson.String(item, "creatorUid"),
            CreateTime = MartiJson.Time(item, "createTime"),
            Tool = MartiJson.String(item, "tool"),
            Guid = MartiJson.String(item, "guid"),
            PasswordProtected = MartiJson.Bool(item, "passwordProtected"),
            InviteOnly = MartiJson.Bool(item, "inviteOnly"),
            Keywords = MartiJson.Strings(item, "keywords", limits.MaxKeywords, missionWhat),
            Uids = Uids(item, limits, missionWhat),
            Contents = Contents(item, limits, missionWhat),
        };
    }

    private static List<MartiMission> ReadList(JsonElement data, MartiLimits limits, string what)
    {
        var missions = new List<MartiMission>();
        var index = 0;
        foreach (var item in MartiJson.Array(data, what, limits.MaxMissions, "missions"))
            missions.Add(Read(item, ++index, limits, what));
        return missions;
    }

    private static EquatableArray<string> Uids(JsonElement mission, MartiLimits limits, string what)
    {
        if (!mission.TryGetProperty("uids", out var uids) || uids.ValueKind != JsonValueKind.Array) return EquatableArray<string>.Empty;
        var result = new List<string>();
        foreach (var item in MartiJson.Array(uids, $"uid list of {what}", limits.MaxUids, "uids"))
        {
            var uid = item.ValueKind switch
            {
                JsonValueKind.String => MartiJson.Text(item),
                JsonValueKind.Object => MartiJson.String(item, "data"),
                _ => null,
            };
            if (!string.IsNullOrEmpty(uid)) result.Add(uid);
        }

        return new EquatableArray<string>(result);
    }

    private static EquatableArray<MartiMissionContent> Contents(JsonElement mission, MartiLimits limits, string what)
    {
        if (!mission.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array)
            return EquatableArray<MartiMissionContent>.Empty;
        var result = new List<MartiMissionContent>();
        var index = 0;
        foreach (var item in MartiJson.Array(contents, $"content list of {what}", limits.MaxContents, "contents"))
        {
            index++;
            var resource = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                ? data
                : item;
            if (resource.ValueKind != JsonValueKind.Object)
                throw new MartiException($"content {index} of {what} is not a JSON object");
            var hash = MartiJson.String(resource, "hash");
            if (string.IsNullOrEmpty(hash))
                throw new MartiException($"content {index} of {what} has no hash");
            result.Add(new MartiMissionContent(hash, MartiJson.String(resource, "filename"), MartiJson.Long(resource, "size"), MartiJson.String(resource, "mimeType"))
            {
                Name = MartiJson.String(resource, "name"),
                Uid = MartiJson.String(resource, "uid"),
                CreatorUid = MartiJson.String(resource, "creatorUid") ?? MartiJson.String(item, "creatorUid"),
                SubmissionTime = MartiJson.Time(resource, "submissionTime"),
                Keywords = MartiJson.Strings(resource, "keywords", limits.MaxKeywords, $"content {index} of {what}"),
            });
        }

        return new EquatableArray<MartiMissionContent>(result);
    }
}
