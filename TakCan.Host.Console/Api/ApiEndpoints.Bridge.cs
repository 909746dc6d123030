using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TakCan.Protocols.Mesh;
using static TakCan.Actors.Bridge.BridgeProtocol;

namespace TakCan.Host.Console.Api;

/// <summary>
/// <c>/api/bridge</c>: the node's bridge, asked of the device's bridge part (specs/bridge.md, "Local API and CLI").
/// With bridge mode off the status says so (200, <c>enabled: false</c>) and a change is a 409: the node has no bridge
/// to change, which is not the same as a peer it does not know (404).
/// </summary>
internal sealed partial class ApiEndpoints
{
    private const string Bridge = "bridge";

    private const string BridgeOffReason =
        "bridge mode is off on this node: set \"bridge\": {\"enabled\": true} in its node config and restart it (specs/bridge.md, \"Node config\")";

    private void MapBridge(IEndpointRouteBuilder api)
    {
        api.MapGet("/bridge", (CancellationToken ct) => BridgeStatusAsync(ct));
        api.MapDelete("/bridge/peers/{node}", (string node, CancellationToken ct) => RemoveBridgePeerAsync(node, ct));
    }

    private async Task<IResult> BridgeStatusAsync(CancellationToken ct)
    {
        if (targets.Bridge.IsNobody()) return Ok(ApiContract.BridgeOff(targets.Node));
        var (reply, failure) = await AskAsync(targets.Bridge, GetBridgeStatus.Instance, Bridge, ct);
        return failure ?? reply switch
        {
            BridgeStatus status => Ok(ApiContract.Bridge(status)),
            _ => Unexpected(Bridge, reply),
        };
    }

    private async Task<IResult> RemoveBridgePeerAsync(string node, CancellationToken ct)
    {
        if (targets.Bridge.IsNobody()) return ApiErrors.Result(StatusCodes.Status409Conflict, BridgeOffReason);
        var id = node.Trim().ToLowerInvariant();
        if (id.Length != NodeId.Size * 2 || !id.All(char.IsAsciiHexDigit))
            return ApiErrors.Result(StatusCodes.Status400BadRequest,
                $"'{node}' is not a mesh node id: {NodeId.Size * 2} hex digits, as `takcan bridge status` lists the peers");

        var (reply, failure) = await AskAsync(targets.Bridge, new RemoveOnboardedPeer(id), Bridge, ct);
        return failure ?? reply switch
        {
            PeerRemovedFromBridge { Removed: true } => Results.NoContent(),
            PeerRemovedFromBridge => ApiErrors.Result(StatusCodes.Status404NotFound, $"no peer with node id {id} is onboarded with this bridge"),
            _ => Unexpected(Bridge, reply),
        };
    }
}
