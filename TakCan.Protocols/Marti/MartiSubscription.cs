using System.Text;
using System.Text.Json;

namespace TakCan.Protocols.MartiApi;

/// <summary>
/// TAK Server's answer to <c>PUT /Marti/api/missions/{name}/subscription?uid=</c>: a <c>MissionSubscription</c> whose
/// <see cref="Token"/> (a JWT) the client sends back as <c>MissionAuthorization: Bearer &lt;token&gt;</c> on the
/// mission's later requests. The token is a credential: it never appears in <see cref="ToString"/>.
/// </summary>
public sealed record MartiSubscription(string Token, string? ClientUid = null, string? Username = null)
{
    private const string What = "server's subscription answer";

    /// <summary>The subscriber's role in the mission, e.g. <c>MISSION_SUBSCRIBER</c>.</summary>
    public string? Role { get; init; }

    public DateTime? CreateTime { get; init; }

    /// <summary>The mission, which TAK Server includes from API version 3.</summary>
    public MartiMission? Mission { get; init; }

    /// <exception cref="MartiException">Not a subscription, no token, or a token that cannot travel in an HTTP header.</exception>
    public static MartiSubscription Parse(ReadOnlyMemory<byte> json, MartiLimits? limits = null)
    {
        limits ??= MartiLimits.Default;
        using var document = MartiJson.Parse(json, limits, What);
        var data = MartiJson.Data(document.RootElement, What);
        if (data.ValueKind != JsonValueKind.Object)
            throw new MartiException($"the {What} is not a JSON object with a token");
        var token = MartiJson.String(data, "token");
        if (string.IsNullOrEmpty(token))
            throw new MartiException($"the {What} has no token; the server did not subscribe this device");
        if (token.Length > limits.MaxTokenLength)
            throw new MartiException($"the token in the {What} is {token.Length} characters, more than the {limits.MaxTokenLength} TAK Can keeps");
        // It goes back in a header: printable ASCII without spaces, so it can neither split the header nor add one.
        if (!token.All(c => c is > ' ' and <= '~'))
            throw new MartiException($"the token in the {What} holds characters an HTTP header cannot carry");

        var role = data.TryGetProperty("role", out var roleElement)
            ? roleElement.ValueKind switch
            {
                JsonValueKind.Object => MartiJson.String(roleElement, "type"),
                JsonValueKind.String => MartiJson.Text(roleElement),
                _ => null,
            }
            : null;
        var mission = data.TryGetProperty("mission", out var missionElement) && missionElement.ValueKind == JsonValueKind.Object
            ? MartiMissions.Read(missionElement, 1, limits, What)
            : null;
        return new MartiSubscription(token, MartiJson.String(data, "clientUid"), MartiJson.String(data, "username"))
        {
            Role = role,
            CreateTime = MartiJson.Time(data, "createTime"),
            Mission = mission,
        };
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = ***, ClientUid = ").Append(ClientUid).Append(", Username = ").Append(Username)
            .Append(", Role = ").Append(Role).Append(", CreateTime = ").Append(CreateTime)
            .Append(", Mission = ").Append(Mission?.Name);
        return true;
    }
}
