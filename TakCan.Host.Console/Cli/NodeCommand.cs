using System.CommandLine;
using System.Runtime.InteropServices;
using TakCan.Host.Console.Node;

namespace TakCan.Host.Console.Cli;

/// <summary><c>takcan node</c>: run a full device until interrupted.</summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Node config file (JSON); default <data>/node.json, created if missing" };
        var data = new Option<string?>("--data") { Description = "Data directory (journal, key, config); default $XDG_DATA_HOME/takcan" };
        var apiUrl = new Option<string?>("--api-url") { Description = "Local API address; default http://127.0.0.1:8780" };
        var bind = new Option<string?>("--bind") { Description = "Mesh UDP address to listen on, HOST:PORT" };
        var peers = new Option<string[]>("--peer") { Description = "Static mesh neighbour HOST:PORT (repeatable)", AllowMultipleArgumentsPerToken = false };
        var noDiscovery = new Option<bool>("--no-discovery") { Description = "Do not send or answer mesh discovery beacons" };
        var callsign = new Option<string?>("--callsign") { Description = "Callsign (overrides the config)" };
        var team = new Option<string?>("--team") { Description = "Team colour (overrides the config)" };
        var command = new Command("node", "Run a TAK Can device: mesh, situation, local API. Works with no config at all.")
        {
            config, data, apiUrl, bind, peers, noDiscovery, callsign, team,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var options = new NodeOptions
            {
                ConfigFile = result.GetValue(config),
                DataDirectory = result.GetValue(data),
                ApiUrl = result.GetValue(apiUrl),
                Bind = result.GetValue(bind),
                Peers = result.GetValue(peers) ?? [],
                Discovery = result.GetValue(noDiscovery) ? false : null,
                Callsign = result.GetValue(callsign),
                Team = result.GetValue(team),
            };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                try
                {
                    stop.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // A late signal while the node is already on its way out: nothing left to stop.
                }
            });
            NodeHost host;
            try
            {
                host = await NodeHost.StartAsync(options, line => System.Console.WriteLine($"takcan: {line}"), stop.Token);
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or FormatException or TakCan.Protocols.Mesh.Keys.MissionKeyException or TakCan.Host.Console.Api.LocalApiException)
            {
                await System.Console.Error.WriteLineAsync($"takcan: {e.Message}");
                return 1;
            }

            await using (host)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    System.Console.WriteLine("takcan: stopping");
                }
            }

            return 0;
        });
        return command;
    }
}
