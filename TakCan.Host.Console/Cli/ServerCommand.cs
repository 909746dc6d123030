using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TakCan.Actors.Servers;
using TakCan.Host.Console.Api;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan server add|list|remove|enroll|import</c>: the TAK servers of a running node, through its local API
/// (specs/server-links.md, "Configured servers"); the node starts and stops links at once, without a restart. Like
/// the other client verbs, each takes <c>--api-url</c> and <c>--token</c> and exits 1 with one line on stderr when the
/// node says no or is not there.
/// </summary>
public static class ServerCommand
{

    // Enrolment makes two HTTPS requests of up to 30 s each to the TAK Server before the node answers.
    private static readonly TimeSpan EnrolTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ImportTimeout = TimeSpan.FromSeconds(45);

    public static Command Create()
    {
        var command = new Command("server", "The TAK servers the running node links to: add, list, remove, enrol for a certificate, import a data package");
        command.Subcommands.Add(CreateAdd());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateRemove());
        command.Subcommands.Add(CreateEnroll());
        command.Subcommands.Add(CreateImport());
        return command;
    }

    private static Command CreateAdd()
    {
        var name = NameArgument();
        var url = new Option<string>("--url") { Description = "tcp://HOST:PORT or ssl://HOST:PORT (usually 8087 and 8089)", Required = true };
        var cert = new Option<string?>("--cert") { Description = $"Client certificate: a PKCS#12 file (.p12), or {ServerEntry.KeyStorePrefix}NAME for one enrolled or imported" };
        var password = new Option<string?>("--password") { Description = "The PKCS#12 file's password" };
        var ca = new Option<string?>("--ca") { Description = $"The CA that signed the server's certificate: a PEM or DER file, or {ServerEntry.KeyStorePrefix}NAME" };
        var user = new Option<string?>("--user") { Description = "User name, for a server that wants one" };
        var userPassword = new Option<string?>("--user-password") { Description = "The user's password" };
        var martiUrl = new Option<string?>("--marti-url")
        {
            Description = $"The server's HTTPS API for missions, https://HOST:PORT (default: the stream's host, port {ServerEntry.DefaultMartiPort})",
        };
        Symbol[] symbols = [name, url, cert, password, ca, user, userPassword, martiUrl];
        return ClientCommands.ClientCommand("add", "Add a server; the node connects to it at once", symbols, async (client, result, ct) =>
        {
            var added = await client.AddServerAsync(new AddServerRequest(
                result.GetValue(name),
                result.GetValue(url),
                FullPath(result.GetValue(cert)),
                result.GetValue(password),
                FullPath(result.GetValue(ca)),
                result.GetValue(user),
                result.GetValue(userPassword),
                result.GetValue(martiUrl)), ct);
            System.Console.WriteLine($"server {added.Name} added: {added.Url}");
            return 0;
        });
    }

    private static Command CreateList() =>
        ClientCommands.ClientCommand("list", "List the servers with the state of their links", [], async (client, _, ct) =>
        {
            PrintServers(await client.GetServersAsync(ct));
            return 0;
        });

    private static Command CreateRemove()
    {
        var name = NameArgument();
        return ClientCommands.ClientCommand("remove", "Remove a server and close its link (stored certificates stay in the key store)", [name], async (client, result, ct) =>
        {
            await client.RemoveServerAsync(result.GetValue(name)!, ct);
            System.Console.WriteLine($"server {result.GetValue(name)} removed");
            return 0;
        });
    }

    private static Command CreateEnroll()
    {
        var name = NameArgument();
        var code = new Option<string?>("--code") { Description = "An enrolment code: tak://com.atakmap.app/enroll?… or an iTAK Name,Address,Port,Protocol line" };
        var host = new Option<string?>("--host") { Description = "The server: host, host:port or host:port:ssl (default port 8089)" };
        var user = new Option<string?>("--user") { Description = "User name to enrol as (when the code carries none)" };
        var password = new Option<string?>("--password") { Description = "Password or one-time token (when the code carries none)" };
        var ca = new Option<string?>("--ca") { Description = "Trust the enrolment server if it chains to this CA certificate (PEM or DER)" };
        var pin = new Option<string?>("--pin") { Description = "Trust the enrolment server if its certificate has this SHA-256 fingerprint" };
        var firstUse = new Option<bool>("--first-use") { Description = "Trust whatever certificate the enrolment server presents; prints its fingerprint to compare" };
        var port = new Option<int?>("--enrolment-port") { Description = "The HTTPS enrolment port (default 8446)" };
        Symbol[] symbols = [name, code, host, user, password, ca, pin, firstUse, port];
        return ClientCommands.ClientCommand("enroll", "Get a client certificate from a TAK Server (as ATAK does), store it and add the server", symbols, async (client, result, ct) =>
        {
            if ((result.GetValue(code) is null) == (result.GetValue(host) is null))
                throw new LocalApiCallException("give either --code CODE or --host HOST");
            var trusts = new[]
            {
                result.GetValue(ca) is { } caFile ? "ca:" + Path.GetFullPath(caFile) : null,
                result.GetValue(pin) is { } sha256 ? "pin:" + sha256 : null,
                result.GetValue(firstUse) ? "first-use" : null,
            }.OfType<string>().ToList();
            if (trusts.Count != 1)
                throw new LocalApiCallException("say how to trust the enrolment server: one of --ca FILE, --pin SHA256 or --first-use");

            var enrolled = await client.EnrollServerAsync(new EnrollServerRequest(
                result.GetValue(name),
                result.GetValue(code),
                result.GetValue(host),
                result.GetValue(user),
                result.GetValue(password),
                trusts[0],
                result.GetValue(port)), ct);
            System.Console.WriteLine($"enrolled as {enrolled.Subject}, issued by {enrolled.Issuer}");
            System.Console.WriteLine($"certificate SHA-256 {enrolled.CertificateSha256}, expires {Time(enrolled.NotAfter)}");
            if (result.GetValue(firstUse))
                System.Console.WriteLine($"the enrolment server's certificate SHA-256 is {enrolled.ServerCertificateSha256}: compare it with the administrator's (--pin next time)");
            System.Console.WriteLine($"server {enrolled.Server.Name} added: {enrolled.Server.Url}");
            return 0;
        }, EnrolTimeout);
    }

    private static Command CreateImport()
    {
        var file = new Argument<string>("file") { Description = "A TAK server-connection data package (.zip with a .pref and .p12 files)" };
        var name = new Option<string?>("--name") { Description = "Name for the (first) server; default: named after its host" };
        return ClientCommands.ClientCommand("import", "Import a server-connection data package and add its servers", [file, name], async (client, result, ct) =>
        {
            var path = result.GetValue(file)!;
            byte[] package;
            try
            {
                package = await File.ReadAllBytesAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LocalApiCallException($"cannot read {path}: {e.Message}");
            }

            var imported = await client.ImportServersAsync(package, result.GetValue(name), ct);
            foreach (var server in imported.Servers) System.Console.WriteLine($"server {server.Name} added: {server.Url}");
            foreach (var note in imported.Notes) System.Console.WriteLine($"note: {note}");
            return 0;
        }, ImportTimeout);
    }

    private static Argument<string> NameArgument() =>
        new("name") { Description = "The server's name: 1 to 64 letters, digits, '.', '_' or '-'" };

    /// <summary>The node may run in another directory: files go to it by their full path; key-store names as they are.</summary>
    private static string? FullPath(string? reference) =>
        reference is null || reference.StartsWith(ServerEntry.KeyStorePrefix, StringComparison.Ordinal) ? reference : Path.GetFullPath(reference);

    private static void PrintServers(ServersResponse response)
    {
        var console = ClientCommands.Output();
        var table = ClientCommands.NewTable("NAME", "URL", "STATE", "FRAMING", "SINCE", "IN", "OUT", "LAST ERROR");
        foreach (var server in response.Servers)
        {
            var status = server.Status;
            string?[] cells =
            [
                server.Name,
                server.Url,
                status is null ? (server.Problem is null ? "starting" : "not started") : status.State.ToString().ToLowerInvariant(),
                status?.Framing == ServerFraming.TakProtocol ? "protobuf" : status is null ? "" : "xml",
                status is null ? "" : Time(status.Since.UtcDateTime),
                status?.Counters.EventsIn.ToString(CultureInfo.InvariantCulture),
                status?.Counters.EventsOut.ToString(CultureInfo.InvariantCulture),
                server.Problem ?? status?.LastError,
            ];
            table.AddRow(cells.Select(c => new Text(c ?? "")).ToArray());
        }

        console.Write(table);
        console.WriteLine($"{response.Servers.Count} server(s)");
    }

    private static string Time(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
