using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TakCan.Host.Console.Api;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan status|contacts|chat|emergency</c>: a running node, asked through its local API (specs/device.md,
/// "Local API"). Every verb takes <c>--api-url</c> and <c>--token</c> and exits 1 with one line on stderr when the
/// node says no or is not there.
/// </summary>
public static class ClientCommands
{
    private const string ApiUrlVariable = "TAKCAN_API_URL";
    private const string TokenVariable = "TAKCAN_API_TOKEN";

    public static Command CreateStatus() =>
        ClientCommand("status", "Show the running node: who it is, its mesh links and counters", [], async (client, _, ct) =>
        {
            PrintStatus(await client.GetStatusAsync(ct));
            return 0;
        });

    public static Command CreateContacts() =>
        ClientCommand("contacts", "List the contacts the running node knows: callsign, position, distance, last seen", [], async (client, _, ct) =>
        {
            PrintContacts(await client.GetContactsAsync(ct));
            return 0;
        });

    public static Command CreateChat()
    {
        var command = new Command("chat", "Send GeoChat messages and read the chat log of the running node");

        var sendRoom = RoomOption($"Room: \"{Actors.Situation.Chat.ChatProtocol.AllChatRooms}\" (default), a team name, or a contact uid for a direct message");
        sendRoom.DefaultValueFactory = _ => Actors.Situation.Chat.ChatProtocol.AllChatRooms;
        var text = new Argument<string[]>("text") { Description = "The message (words are joined with spaces)", Arity = ArgumentArity.OneOrMore };
        command.Subcommands.Add(ClientCommand("send", "Send a chat message; prints its message id", [sendRoom, text], async (client, result, ct) =>
        {
            var accepted = await client.SendChatAsync(result.GetValue(sendRoom)!, string.Join(' ', result.GetValue(text)!), ct);
            System.Console.WriteLine(accepted.MessageId);
            return 0;
        }));

        var logRoom = RoomOption("Only this room (default: every room)");
        command.Subcommands.Add(ClientCommand("log", "Print the chat log", [logRoom], async (client, result, ct) =>
        {
            PrintChatLog(await client.GetChatLogAsync(result.GetValue(logRoom), ct));
            return 0;
        }));
        return command;
    }

    public static Command CreateEmergency()
    {
        var command = new Command("emergency", "Raise or cancel an emergency on the running node (sent reliably to the team)");

        var type = new Option<string>("--type", "-t")
        {
            Description = "911 (911 Alert, default), bell (Ring The Bell) or contact (In Contact)",
            DefaultValueFactory = _ => "911",
        };
        type.AcceptOnlyFromAmong("911", "bell", "contact");
        command.Subcommands.Add(ClientCommand("raise", "Raise an emergency", [type], async (client, result, ct) =>
        {
            var name = result.GetValue(type) switch
            {
                "bell" => EmergencyTypes.RingTheBell,
                "contact" => EmergencyTypes.InContact,
                _ => EmergencyTypes.Alert911,
            };
            var accepted = await client.RaiseEmergencyAsync(name, ct);
            System.Console.WriteLine($"{name} raised ({accepted.Key})");
            return 0;
        }));

        command.Subcommands.Add(ClientCommand("cancel", "Cancel the active emergency", [], async (client, _, ct) =>
        {
            var accepted = await client.CancelEmergencyAsync(ct);
            System.Console.WriteLine($"emergency cancelled ({accepted.Key})");
            return 0;
        }));
        return command;
    }

    /// <summary>A verb that talks to a running node's local API: --api-url and --token, one stderr line on failure.</summary>
    internal static Command ClientCommand(
        string name, string description, Symbol[] symbols, Func<LocalApiClient, ParseResult, CancellationToken, Task<int>> run, TimeSpan? timeout = null)
    {
        var apiUrl = new Option<string>("--api-url")
        {
            Description = $"The node's local API (default {LocalApiOptions.DefaultUrl}, or ${ApiUrlVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiUrlVariable) is { Length: > 0 } url ? url : LocalApiOptions.DefaultUrl,
        };
        // From the environment by preference: a token on the command line is visible to every user in the process list.
        var token = new Option<string?>("--token")
        {
            Description = $"The node's API token, when it wants one (or ${TokenVariable})",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(TokenVariable),
        };

        var command = new Command(name, description) { apiUrl, token };
        foreach (var symbol in symbols)
        {
            if (symbol is Option option) command.Options.Add(option);
            else if (symbol is Argument argument) command.Arguments.Add(argument);
        }

        command.SetAction(async (result, cancellation) =>
        {
            try
            {
                using var client = new LocalApiClient(result.GetValue(apiUrl)!, result.GetValue(token), timeout);
                return await run(client, result, cancellation);
            }
            catch (LocalApiCallException e)
            {
                await System.Console.Error.WriteLineAsync($"takcan: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static Option<string?> RoomOption(string description) => new("--room", "-r") { Description = description };

    internal static IAnsiConsole Output()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected) console.Profile.Width = 400;
        return console;
    }

    internal static Table NewTable(params string[] headers)
    {
        var table = new Table().Border(System.Console.IsOutputRedirected ? TableBorder.Simple : TableBorder.Rounded);
        foreach (var header in headers) table.AddColumn(new TableColumn(header));
        return table;
    }

    private static void AddRow(Table table, params string?[] cells) => table.AddRow(cells.Select(c => new Text(c ?? "")).ToArray());

    private static void PrintStatus(StatusResponse status)
    {
        var console = Output();
        var node = status.Node;
        console.WriteLine($"{node.Callsign}  uid {node.Uid}  team {node.Team ?? "-"}  role {node.Role ?? "-"}" +
                          (node.MeshNode is null ? "" : $"  mesh node {node.MeshNode}"));
        console.WriteLine($"{status.Links.Count(l => l.Up)} link(s) up, {status.Peers} peer(s)");
        if (status.Links.Count > 0)
        {
            var table = NewTable("LINK", "TRANSPORT", "DESCRIPTION", "UP", "PEER", "TEAM");
            foreach (var link in status.Links)
                AddRow(table, Number(link.Link), link.Transport, link.Description, link.Up ? "yes" : "no", link.PeerNode, link.PeerTeam);
            console.Write(table);
        }

        var c = status.Counters;
        var drops = c.Drops.Where(d => d.Value > 0).Select(d => $"{d.Key} {Number(d.Value)}").ToList();
        console.WriteLine($"frames sent {Number(c.FramesSent)}, received {Number(c.FramesReceived)}; messages originated {Number(c.Originated)}, " +
                          $"delivered {Number(c.Delivered)}, relayed {Number(c.Relayed)}; dropped: {(drops.Count == 0 ? "none" : string.Join(", ", drops))}");
    }

    private static void PrintContacts(ContactsResponse response)
    {
        var console = Output();
        var table = NewTable("CALLSIGN", "UID", "TYPE", "TEAM", "ROLE", "POSITION", "DISTANCE", "BEARING", "LAST SEEN", "SOURCES", "STALE");
        foreach (var c in response.Contacts.OrderBy(c => c.IsStale).ThenBy(c => c.Callsign, StringComparer.OrdinalIgnoreCase))
        {
            AddRow(table,
                c.Callsign,
                c.Uid,
                c.Type,
                c.Team,
                c.Role,
                string.Create(CultureInfo.InvariantCulture, $"{c.Lat:F5}, {c.Lon:F5}"),
                c.DistanceMeters is { } m ? (m >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{m / 1000:F1} km") : string.Create(CultureInfo.InvariantCulture, $"{m:F0} m")) : "",
                c.BearingDegrees is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b:F0}°") : "",
                Time(c.LastSeen),
                string.Join(", ", c.Sources),
                c.IsStale ? "stale" : "");
        }

        console.Write(table);
        console.WriteLine($"{response.Contacts.Count} contact(s)");
    }

    private static void PrintChatLog(ChatLogResponse response)
    {
        var console = Output();
        var table = NewTable("TIME", "ROOM", "FROM", "TEXT", "STATE");
        foreach (var m in response.Messages.OrderBy(m => m.Time))
        {
            var state = m.AcknowledgedBy.Count > 0 ? $"{Lower(m.State)} ({string.Join(", ", m.AcknowledgedBy)})" : Lower(m.State);
            AddRow(table, Time(m.Time), m.Room, m.SenderCallsign, m.Text, state);
        }

        console.Write(table);
        console.WriteLine($"{response.Messages.Count} message(s)");
    }

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
