using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TakCan.Actors.Servers.MartiApi;
using static TakCan.Actors.Servers.MartiApi.MissionsProtocol;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Api;

/// <summary>
/// <c>/api/missions</c>: DataSync missions of the node's configured servers (specs/marti.md, "Pull into the node"),
/// asked of the servers actor, which uses each server's own certificate and CA. A pulled mission's events go into
/// the node's contacts and CoT store, its files into <c>&lt;data&gt;/missions</c>.
/// </summary>
/// <remarks>
/// The mission is named in a JSON body rather than the path: a mission name is the server's text and may hold a
/// slash, and a JSON body makes a browser ask first (CORS preflight, never granted), so a web page cannot make the
/// node pull or subscribe on the user's behalf.
/// </remarks>
internal sealed partial class ApiEndpoints
{
    private const string MissionExample = """{"server": "ops", "mission": "night patrol"}""";

    // One HTTPS request to the TAK Server (at most its request timeout), reading the key store besides.
    private static readonly TimeSpan MissionRequestTimeout = MartiClientOptions.Default.RequestTimeout + TimeSpan.FromSeconds(15);

    // A pull is the mission, its CoT (up to 32 MiB) and each of its files (up to 64 MiB each), one after another.
    internal static readonly TimeSpan MissionPullTimeout = TimeSpan.FromMinutes(10);

    private void MapMissions(IEndpointRouteBuilder api)
    {
        api.MapGet("/missions", (string? server, CancellationToken ct) => ListMissionsAsync(server, ct));
        api.MapPost("/missions/subscribe", (HttpRequest request, CancellationToken ct) => SubscribeMissionAsync(request, ct));
        api.MapPost("/missions/pull", (HttpRequest request, CancellationToken ct) => PullMissionAsync(request, ct));
    }

    private async Task<IResult> ListMissionsAsync(string? server, CancellationToken ct)
    {
        var (reply, failure) = await AskServersAsync(new ListMissions(Blank(server)), ct, MissionRequestTimeout);
        return failure ?? reply switch
        {
            MissionList list => Ok(new MissionsResponse(list.Server, list.Missions.Select(ApiContract.Mission).ToList())),
            MissionRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private async Task<IResult> SubscribeMissionAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadMissionAsync(request, ct);
        if (invalid is not null) return invalid;
        var (reply, failure) = await AskServersAsync(new SubscribeMission(Blank(body!.Server), body.Mission!), ct, MissionRequestTimeout);
        return failure ?? reply switch
        {
            MissionSubscribed subscribed => Ok(new MissionSubscribedResponse(subscribed.Server, subscribed.Mission, subscribed.Role)),
            MissionRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private async Task<IResult> PullMissionAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadMissionAsync(request, ct);
        if (invalid is not null) return invalid;
        var (reply, failure) = await AskServersAsync(new PullMission(Blank(body!.Server), body.Mission!), ct, MissionPullTimeout);
        return failure ?? reply switch
        {
            MissionPulled pulled => Ok(Pulled(pulled)),
            MissionRefused refused => Refused(refused),
            _ => Unexpected(Servers, reply),
        };
    }

    private static async Task<(MissionRequest? Body, IResult? Failure)> ReadMissionAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadAsync<MissionRequest>(request, MissionExample, ct);
        if (invalid is not null) return (null, invalid);
        // Refused here too, so a bad name never costs a request to the server.
        return MissionNameProblem(body!.Mission) is { } why ? (null, ApiErrors.Result(StatusCodes.Status400BadRequest, why)) : (body, null);
    }

    private static IResult Refused(MissionRefused refused) => ApiErrors.Result(
        refused.Reason switch
        {
            MissionRefusal.Invalid => StatusCodes.Status400BadRequest,
            MissionRefusal.UnknownServer or MissionRefusal.UnknownMission => StatusCodes.Status404NotFound,
            // The server is configured in a way its API cannot be used with; the configuration has to change.
            MissionRefusal.Unusable => StatusCodes.Status409Conflict,
            // The TAK Server (not this node) refused, could not be reached or trusted, or sent something too large.
            MissionRefusal.ServerFailed => StatusCodes.Status502BadGateway,
            _ => StatusCodes.Status503ServiceUnavailable,
        },
        refused.Message);
}
