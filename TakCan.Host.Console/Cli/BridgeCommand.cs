using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TakCan.Host.Console.Api;
using static TakCan.Actors.Bridge.BridgeProtocol;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan bridge status|remove</c>: the bridge of a running node through its local API (specs/bridge.md, "Local
/// API and CLI"). Like the other client verbs, each takes <c>--api-url</c> and <c>--token</c> and exits 1 with one line
/// on stderr when the node says no or is not there.
/// </summary>
public static class BridgeCommand
{
    public static Command Create()
    {
        var command = new Command("bridge", "The bridge of the running node: the servers it bridges, its onboarded mesh peers");
        command.Subcommands.Add(CreateStatus());
        command.Subcommands.Add(CreateRemove());
        return command;
    }

    private static Command CreateStatus() =>
        ClientCommands.ClientCommand("status", "Show the bridged servers (active or standby), the onboarded peers and the counters", [], async (client, _, ct) =>
        {
            PrintStatus(await client.GetBridgeAsync(ct));
            return 0;
        });

    private static Command CreateRemove()
    {
        var node = new Argument<string>("node") { Description = "The peer's mesh node id (32 hex digits, as `takcan bridge status` lists it)" };
        return ClientCommands.ClientCommand("remove", "Remove an onboarded peer and revoke its certificate at this bridge: its CoT stays in the mesh until it enrols a new certificate", [node], async (client, result, ct) =>
        {
            var id = result.GetValue(node)!;
            await client.RemoveBridgePeerAsync(id, ct);
            System.Console.WriteLine($"peer {id} removed; its certificate cannot onboard here again (a new certificate from the server can)");
            return 0;
        });
    }

    private static void PrintStatus(BridgeResponse bridge)
    {
        var console = ClientCommands.Output();
        if (!bridge.Enabled)
        {
            console.WriteLine("bridge mode is off on this node (\"bridge\": {\"enabled\": true} in its node config turns it on)");
            return;
        }

        console.WriteLine($"bridge mode on, mesh node {bridge.Node}");
        if (bridge.Servers.Count > 0)
        {
            var servers = ClientCommands.NewTable("SERVER", "REALM", "ROLE", "ONBOARDS PEERS");
            foreach (var server in bridge.Servers)
                AddRow(servers, server.Name, server.Realm, server.Active ? "active" : "standby", server.Onboarding ? "yes" : "no");
            console.Write(servers);
        }

        // The bridge reads the node's servers every announcement period (30 s): one just added shows up within that.
        console.WriteLine(bridge.Servers.Count > 0 ? $"{bridge.Servers.Count} server(s)" : "no servers to bridge yet (`takcan server add`, then up to 30 s)");

        if (bridge.Peers.Count > 0)
        {
            var peers = ClientCommands.NewTable("NODE", "UID", "SUBJECT", "FINGERPRINT (SHA-256)", "EXPIRES", "SERVERS", "UP", "REFUSED");
            foreach (var peer in bridge.Peers)
            {
                AddRow(peers, peer.Node, peer.Uid, peer.Subject, peer.Fingerprint, Time(peer.NotAfter), Names(peer.Realms, bridge.Servers),
                    Number(peer.Uploaded), Number(peer.Refused));
            }

            console.Write(peers);
        }

        console.WriteLine($"{bridge.Peers.Count} onboarded peer(s)");

        if (bridge.Bridges.Count > 0)
        {
            var others = ClientCommands.NewTable("OTHER BRIDGE", "SERVERS", "LAST HEARD");
            foreach (var other in bridge.Bridges) AddRow(others, other.Node, Names(other.Realms, bridge.Servers), Time(other.LastHeard));
            console.Write(others);
        }

        if (bridge.Counters is { } c)
        {
            console.WriteLine($"onboard messages accepted {Number(c.Onboarded)}, refused {Number(c.OnboardRefused)}; CoT up {Number(c.Uploaded)}, down {Number(c.Injected)}; " +
                              $"kept in the mesh: not onboarded {Number(c.NotOnboarded)}, bad signature {Number(c.BadSignature)}, foreign uid {Number(c.ForeignUid)}; " +
                              $"echoes {Number(c.Echoes)}, standby {Number(c.Standby)}");
        }

        if (bridge.LastRefusal is { } refusal) console.WriteLine($"last refusal: {refusal}");
    }

    /// <summary>Realms by the names this bridge knows their servers by; a realm of no configured server stays hex.</summary>
    private static string Names(IReadOnlyList<string> realms, IReadOnlyList<BridgedServer> servers) =>
        string.Join(", ", realms.Select(r => servers.FirstOrDefault(s => s.Realm == r)?.Name ?? r));

    private static void AddRow(Table table, params string?[] cells) => table.AddRow(cells.Select(c => new Text(c ?? "")).ToArray());

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
