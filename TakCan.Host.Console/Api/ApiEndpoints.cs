using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Api;

/// <summary>
/// The routes of the local API (specs/device.md, "Local API"). Each asks one actor and turns its answer into a status
/// code; an actor that does not answer in time is a 503, never a hung request.
/// </summary>
internal sealed partial class ApiEndpoints(ApiTargets targets, LocalApiOptions options)
{
    // Every handler takes a CancellationToken besides its inputs, so none of them can bind as a plain RequestDelegate
    // (which would throw the returned IResult away).
    public void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/status", (CancellationToken ct) => StatusAsync(ct));
        api.MapGet("/contacts", (CancellationToken ct) => ContactsAsync(ct));
        api.MapGet("/chat", (string? room, CancellationToken ct) => ChatLogAsync(room, ct));
        api.MapPost("/chat", (HttpRequest request, CancellationToken ct) => SendChatAsync(request, ct));
        api.MapGet("/emergency", (CancellationToken ct) => EmergencyStateAsync(ct));
        api.MapPost("/emergency", (HttpRequest request, CancellationToken ct) => RaiseEmergencyAsync(request, ct));
        api.MapDelete("/emergency", (CancellationToken ct) => CancelEmergencyAsync(ct));
        api.MapGet("/events", (HttpContext context, CancellationToken ct) => EventsAsync(context, ct));
        MapServers(api);
        MapMissions(api);
        MapBridge(api);
    }

    private async Task<IResult> StatusAsync(CancellationToken ct)
    {
        var (reply, failure) = await AskAsync(targets.Mesh, MeshProtocol.GetMeshStatus.Instance, "mesh", ct);
        return failure ?? reply switch
        {
            MeshProtocol.MeshStatus status => Ok(ApiContract.Status(targets.Node, status)),
            _ => Unexpected("mesh", reply),
        };
    }

    private async Task<IResult> ContactsAsync(CancellationToken ct)
    {
        var (reply, failure) = await AskAsync(targets.Contacts, ContactsProtocol.GetContacts.Instance, "contacts", ct);
        return failure ?? reply switch
        {
            ContactsProtocol.ContactList list => Ok(new ContactsResponse(list.Contacts)),
            _ => Unexpected("contacts", reply),
        };
    }

    private async Task<IResult> ChatLogAsync(string? room, CancellationToken ct)
    {
        var (reply, failure) = await AskAsync(targets.Chat, new ChatProtocol.GetChatLog(string.IsNullOrWhiteSpace(room) ? null : room), "chat", ct);
        return failure ?? reply switch
        {
            ChatProtocol.ChatLog log => Ok(new ChatLogResponse(log.Messages)),
            ChatProtocol.ChatRejected rejected => ApiErrors.Result(StatusCodes.Status400BadRequest, rejected.Reason),
            _ => Unexpected("chat", reply),
        };
    }

    private async Task<IResult> SendChatAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadAsync<SendChatRequest>(request, $$"""{"room": "{{ChatProtocol.AllChatRooms}}", "text": "…"}""", ct);
        if (invalid is not null) return invalid;
        if (string.IsNullOrWhiteSpace(body!.Room))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, $"room is required: \"{ChatProtocol.AllChatRooms}\", a team name or a contact uid");
        if (string.IsNullOrWhiteSpace(body.Text))
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "text is required and must not be blank");

        var (reply, failure) = await AskAsync(targets.Chat, new ChatProtocol.SendChat(body.Room, body.Text), "chat", ct);
        return failure ?? reply switch
        {
            ChatProtocol.ChatAccepted accepted => Accepted(new ChatAcceptedResponse(accepted.MessageId)),
            ChatProtocol.ChatRejected rejected => ApiErrors.Result(StatusCodes.Status400BadRequest, rejected.Reason),
            _ => Unexpected("chat", reply),
        };
    }

    private async Task<IResult> EmergencyStateAsync(CancellationToken ct)
    {
        var (reply, failure) = await AskAsync(targets.Emergency, EmergencyProtocol.GetEmergencyState.Instance, "emergency", ct);
        return failure ?? reply switch
        {
            EmergencyProtocol.EmergencyState state => Ok(ApiContract.Emergency(state)),
            _ => Unexpected("emergency", reply),
        };
    }

    private async Task<IResult> RaiseEmergencyAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, invalid) = await ReadAsync<RaiseEmergencyRequest>(request, $$"""{"type": "{{EmergencyTypes.Alert911}}"}""", ct);
        if (invalid is not null) return invalid;
        if (!EmergencyTypes.TryParse(body!.Type, out var type))
            return ApiErrors.Result(StatusCodes.Status400BadRequest,
                $"type must be one of {string.Join(", ", EmergencyTypes.Names.Select(n => $"\"{n}\""))}");

        var (reply, failure) = await AskAsync(targets.Emergency, new EmergencyProtocol.RaiseEmergency(type.Value), "emergency", ct);
        return failure ?? reply switch
        {
            EmergencyProtocol.EmergencyAccepted accepted => Accepted(new EmergencyAcceptedResponse(accepted.Key)),
            EmergencyProtocol.EmergencyRateLimited limited => ApiErrors.RateLimited(limited.RetryAfter, "raise"),
            _ => Unexpected("emergency", reply),
        };
    }

    private async Task<IResult> CancelEmergencyAsync(CancellationToken ct)
    {
        var (reply, failure) = await AskAsync(targets.Emergency, EmergencyProtocol.CancelEmergency.Instance, "emergency", ct);
        return failure ?? reply switch
        {
            EmergencyProtocol.EmergencyAccepted accepted => Accepted(new EmergencyAcceptedResponse(accepted.Key)),
            EmergencyProtocol.NoActiveEmergency => ApiErrors.Result(StatusCodes.Status404NotFound, "no emergency is active on this node"),
            EmergencyProtocol.EmergencyRateLimited limited => ApiErrors.RateLimited(limited.RetryAfter, "cancel"),
            _ => Unexpected("emergency", reply),
        };
    }

    private async Task<IResult> EventsAsync(HttpContext context, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"api events {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}");
        var (reply, failure) = await AskAsync(targets.Ui, new Actors.Ui.UiProtocol.SubscribeQueue(name), "UI", ct);
        if (failure is not null) return failure;
        if (reply is not Actors.Ui.UiProtocol.QueueSubscribed subscription) return Unexpected("UI", reply);

        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return TypedResults.ServerSentEvents(ApiEvents.StreamAsync(subscription, targets.Ui, context.Response, stopping, ct));
    }

    /// <param name="timeout">For work that takes longer than asking (enrolment over the network); default <see cref="LocalApiOptions.AskTimeout"/>.</param>
    private async Task<(object? Reply, IResult? Failure)> AskAsync(IActorRef target, object message, string what, CancellationToken ct, TimeSpan? timeout = null)
    {
        var wait = timeout ?? options.AskTimeout;
        try
        {
            return (await target.Ask<object>(message, wait, ct), null);
        }
        catch (AskTimeoutException)
        {
            return (null, ApiErrors.Result(StatusCodes.Status503ServiceUnavailable,
                string.Create(CultureInfo.InvariantCulture, $"the {what} actor did not answer within {wait.TotalSeconds:0.###} s; try again")));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A Status.Failure reply: the actor is there but could not do it (e.g. its journal failed).
            return (null, ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, $"the {what} actor failed: {e.Message}"));
        }
    }

    /// <summary>
    /// Reads a JSON body by hand rather than by parameter binding, so that every way a body can be wrong is a 4xx with
    /// an error a user can act on. Requiring a JSON content type also makes a browser send a CORS preflight, which this
    /// API never grants: a web page cannot post to the node on the user's behalf.
    /// </summary>
    /// <param name="example">The body this endpoint takes, for the error message.</param>
    private static async Task<(T? Body, IResult? Failure)> ReadAsync<T>(HttpRequest request, string example, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
            return (null, ApiErrors.Result(StatusCodes.Status415UnsupportedMediaType, "send the body as JSON, with Content-Type: application/json"));
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, ApiJson.Options, ct);
            return body is null
                ? (null, ApiErrors.Result(StatusCodes.Status400BadRequest, $"the body must be a JSON object like {example}"))
                : (body, null);
        }
        catch (JsonException e)
        {
            // JsonException's own message names .NET types; the path and position are what a user can fix.
            var where = string.Create(CultureInfo.InvariantCulture, $"at {e.Path ?? "$"}, line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
            return (null, ApiErrors.Result(StatusCodes.Status400BadRequest, $"the body is malformed or has a wrong type ({where}); send a JSON object like {example}"));
        }
    }

    private static IResult Ok<T>(T body) => Results.Json(body, ApiJson.Options);

    private static IResult Accepted<T>(T body) => Results.Json(body, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);

    private static IResult Unexpected(string what, object? reply) =>
        ApiErrors.Result(StatusCodes.Status502BadGateway, $"the {what} actor answered {reply?.GetType().Name ?? "nothing"}, which this API does not know");
}
