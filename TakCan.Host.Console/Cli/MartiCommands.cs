using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Node;
using TakCan.Protocols.Enrolment;
using TakCan.Protocols.MartiApi;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan channels [--set A,B]</c>: a TAK Server's channels over its HTTPS API, straight from this process
/// (specs/marti.md, "Command line"). The server is either one the node knows (<c>--server NAME</c>: its API address,
/// certificate and CA as the entry names them, files or <c>keystore:NAME</c> in <c>&lt;data&gt;/credentials</c>) or given
/// (<c>--url https://HOST:8443 --cert FILE.p12 [--password P] --ca FILE.pem</c>). And <c>takcan missions
/// list|subscribe NAME|pull NAME</c>, which go through the running node: a pulled mission belongs in its situation.
/// Any refusal is one line on stderr and exit code 1.
/// </summary>
public static class MartiCommands
{
    private const int DefaultApiPort = ServerEntry.DefaultMartiPort;

    // One HTTPS request to the TAK Server, which the node gives up to 45 s.
    private static readonly TimeSpan MissionRequestTimeout = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions ServersJsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static Command CreateChannels()
    {
        var connection = new ConnectionOptions();
        var set = new Option<string?>("--set")
        {
            Description = "Make exactly these channels active, comma-separated (every other one inactive)",
        };
        var command = new Command("channels", "List a TAK Server's channels (groups) for this device's certificate, or choose the active ones") { set };
        connection.AddTo(command);
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            await using var target = await connection.ResolveAsync(result, cancellation);
            var channels = new ChannelsService(target.Client, target.ClientUid);
            var names = result.GetValue(set)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var groups = names is null
                ? await channels.ListAsync(cancellation)
                : await channels.SetActiveAsync(names, cancellation);
            PrintChannels(groups);
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// <c>takcan missions list|subscribe|pull</c>: through the running node's local API, which uses the configured
    /// server's certificate and keeps tokens and files in its data directory; a pulled mission goes into the node's
    /// contacts and CoT store (specs/marti.md, "Pull into the node").
    /// </summary>
    public static Command CreateMissions()
    {
        var command = new Command("missions", "TAK Server DataSync missions of the running node's servers: list them, subscribe, pull one into the node");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateSubscribe());
        command.Subcommands.Add(CreatePull());
        return command;
    }

    private static Command CreateList()
    {
        var server = ServerOption();
        return ClientCommands.ClientCommand("list", "List the missions this device may see", [server], async (client, result, ct) =>
        {
            PrintMissions(await client.ListMissionsAsync(result.GetValue(server), ct));
            return 0;
        }, MissionRequestTimeout);
    }

    private static Command CreateSubscribe()
    {
        var server = ServerOption();
        var name = MissionArgument();
        return ClientCommands.ClientCommand("subscribe", "Subscribe this device to a mission; the node keeps the mission token", [server, name], async (client, result, ct) =>
        {
            var subscribed = await client.SubscribeMissionAsync(result.GetValue(server), result.GetValue(name)!, ct);
            System.Console.Out.WriteLine($"subscribed   {subscribed.Mission} on {subscribed.Server}{(subscribed.Role is null ? "" : $" ({subscribed.Role})")}; the node keeps the token");
            return 0;
        }, MissionRequestTimeout);
    }

    private static Command CreatePull()
    {
        var server = ServerOption();
        var name = MissionArgument();
        const string description =
            "Pull a mission into the running node (subscribing first if needed): its events into the contacts and CoT store, " +
            "its files whose SHA-256 matches into <data>/missions/<mission>/<hash>. Exit code 1 if a file or event was refused.";
        return ClientCommands.ClientCommand("pull", description, [server, name], async (client, result, ct) =>
        {
            var pulled = await client.PullMissionAsync(result.GetValue(server), result.GetValue(name)!, ct);
            var output = System.Console.Out;
            output.WriteLine($"mission      {pulled.Mission} from {pulled.Server}");
            output.WriteLine($"events       {pulled.Events} into the node as {pulled.Source}{(pulled.BadEvents > 0 ? $", {pulled.BadEvents} unreadable" : "")}");
            output.WriteLine($"files        {pulled.Saved} saved, {pulled.AlreadyPresent} already here, {pulled.Refused} refused, in {pulled.Directory}");
            foreach (var problem in pulled.EventProblems) await System.Console.Error.WriteLineAsync($"takcan: {problem}");
            foreach (var refused in pulled.Files.Where(f => f.Outcome == MissionContentOutcome.Refused))
                await System.Console.Error.WriteLineAsync($"takcan: {refused.Filename ?? refused.Hash}: {refused.Reason}");
            return pulled.BadEvents > 0 || pulled.Refused > 0 ? 1 : 0;
        }, ApiEndpoints.MissionPullTimeout + TimeSpan.FromSeconds(30));
    }

    private static Option<string?> ServerOption() =>
        new("--server") { Description = "The server, as 'takcan server list' names it (may be left out when the node has only one)" };

    private static Argument<string> MissionArgument() => new("name") { Description = "The mission's name, as 'takcan missions list' shows it" };

    private static void PrintChannels(IReadOnlyList<MartiGroup> groups)
    {
        var output = System.Console.Out;
        var channels = groups.GroupBy(g => g.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var width = Math.Max("CHANNEL".Length, channels.Select(c => c.Key.Length).DefaultIfEmpty(0).Max());
        output.WriteLine($"{"CHANNEL".PadRight(width)}  IN   OUT  ACTIVE  DESCRIPTION");
        foreach (var channel in channels)
        {
            static string YesNo(bool value) => value ? "yes" : "no ";
            output.WriteLine(
                $"{channel.Key.PadRight(width)}  {YesNo(channel.Any(g => g.Direction == MartiGroupDirection.In))}  " +
                $"{YesNo(channel.Any(g => g.Direction == MartiGroupDirection.Out))}  {YesNo(channel.Any(g => g.Active))}     " +
                $"{channel.Select(g => g.Description).FirstOrDefault(d => !string.IsNullOrEmpty(d))}".TrimEnd());
        }
    }

    private static void PrintMissions(MissionsResponse response)
    {
        var output = System.Console.Out;
        var missions = response.Missions;
        if (missions.Count == 0)
        {
            output.WriteLine($"no missions on {response.Server}");
            return;
        }

        var width = Math.Max("MISSION".Length, missions.Max(m => m.Name.Length));
        output.WriteLine($"{"MISSION".PadRight(width)}  CREATED           ITEMS  FILES  DESCRIPTION");
        foreach (var mission in missions.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var created = mission.CreateTime?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";
            var flags = (mission.PasswordProtected ? " [password]" : "") + (mission.InviteOnly ? " [invite only]" : "");
            output.WriteLine($"{mission.Name.PadRight(width)}  {created,-16}  {mission.Items,5}  {mission.Files,5}  {mission.Description}{flags}".TrimEnd());
        }
    }

    private static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is MartiException or EnrolmentException or InvalidDataException or IOException or UnauthorizedAccessException
                                      or CryptographicException or ArgumentException)
        {
            // One line, so scripts and people see exactly one reason.
            await System.Console.Error.WriteLineAsync($"takcan: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }

    /// <summary>The options every verb here shares, and how they become a connected client.</summary>
    private sealed class ConnectionOptions
    {
        private readonly Option<string?> _data = new("--data") { Description = "Data directory (servers.json, credentials, missions); default $XDG_DATA_HOME/takcan" };
        private readonly Option<string?> _server = new("--server") { Description = $"A server as 'takcan server add NAME' configured it: its host (API on port {DefaultApiPort}), certificate and CA" };
        private readonly Option<string?> _url = new("--url") { Description = $"The server's API address, https://HOST:{DefaultApiPort}: instead of --server, or with it for another API port" };
        private readonly Option<string?> _cert = new("--cert") { Description = "This device's client certificate and key, a PKCS#12 (.p12) file (instead of the server's)" };
        private readonly Option<string?> _password = new("--password") { Description = "The --cert file's password" };
        private readonly Option<string?> _ca = new("--ca") { Description = "The CA certificates that verify the server, PEM or DER (instead of the server's)" };
        private readonly Option<string?> _uid = new("--uid") { Description = "This device's uid (default: the uid in <data>/node.json)" };

        public void AddTo(Command command)
        {
            foreach (var option in new[] { _data, _server, _url, _cert, _password, _ca, _uid }) command.Options.Add(option);
        }

        public async Task<Target> ResolveAsync(ParseResult result, CancellationToken cancellation)
        {
            var data = Path.GetFullPath(result.GetValue(_data) ?? NodeConfigFile.DefaultDataDirectory());
            var server = result.GetValue(_server);
            var url = result.GetValue(_url);
            var certFile = result.GetValue(_cert);
            var caFile = result.GetValue(_ca);
            var uid = result.GetValue(_uid) ?? NodeUid(data)
                      ?? throw new ArgumentException($"no device uid: give --uid, or run 'takcan node --data {data}' once to create {NodeConfigFile.DefaultName}");
            if (server is null && url is null)
                throw new ArgumentException("name the server with --server NAME, or give --url https://HOST:8443 with --cert and --ca");

            var entry = server is null ? null : FindServer(data, server);
            var apiUri = url is not null ? ApiUri(url) : ApiUriOf(entry!);
            var serverName = server ?? ServerCredentialNames.NameFor(apiUri.IdnHost);
            var credentials = new ServerCredentialStore(new FileKeyStore(ServersFile.CredentialsDirectory(data)));

            // Options given on the command line win over the servers file.
            X509Certificate2 identity;
            var chain = new X509Certificate2Collection();
            if (certFile is not null)
            {
                (identity, chain) = LoadPkcs12(await File.ReadAllBytesAsync(certFile, cancellation), result.GetValue(_password), certFile);
            }
            else if (entry?.CertificateInKeyStore is { } stored)
            {
                identity = await credentials.LoadIdentityAsync(ServerCredentialNames.For(stored), cancellation)
                           ?? throw new InvalidDataException($"the key store in {ServersFile.CredentialsDirectory(data)} holds no client certificate for '{stored}'; enrol with the server or import its data package first");
            }
            else if (entry?.Certificate is { } file)
            {
                (identity, chain) = LoadPkcs12(await File.ReadAllBytesAsync(file, cancellation), entry.CertificatePassword, file);
            }
            else
            {
                throw new ArgumentException(entry is null
                    ? "--url needs --cert FILE.p12 (this device's certificate and key)"
                    : $"server '{entry.Name}' has no client certificate, and TAK Server's API needs one: give --cert FILE.p12, or enrol with the server");
            }

            X509Certificate2Collection authorities;
            try
            {
                if (caFile is not null)
                    authorities = LoadCa(await File.ReadAllBytesAsync(caFile, cancellation), caFile);
                else if (entry?.CaInKeyStore is { } stored)
                    authorities = await credentials.LoadTrustAsync(ServerCredentialNames.For(stored), cancellation)
                                  ?? throw new InvalidDataException($"the key store in {ServersFile.CredentialsDirectory(data)} holds no CA certificates for '{stored}'; enrol with the server or import its data package first");
                else if (entry?.Ca is { } file)
                    authorities = LoadCa(await File.ReadAllBytesAsync(file, cancellation), file);
                else
                    throw new ArgumentException(entry is null
                        ? "--url needs --ca FILE.pem (the CA that verifies the server)"
                        : $"server '{entry.Name}' has no CA to verify it with: give --ca FILE.pem");
            }
            catch
            {
                identity.Dispose();
                foreach (var certificate in chain) certificate.Dispose();
                throw;
            }

            var client = new MartiClient(apiUri, identity, authorities, clientChain: chain);
            return new Target(client, identity, chain, authorities, serverName, uid, data);
        }

        /// <summary>The server called <paramref name="name"/> in the node's servers file (specs/server-links.md, "Configured servers").</summary>
        private static ServerEntry FindServer(string data, string name)
        {
            var path = ServersFile.PathIn(data);
            if (!File.Exists(path))
                throw new InvalidDataException($"there is no {path}; add the server with 'takcan server add {name} …', or give --url, --cert and --ca");
            ServersDocument? document;
            try
            {
                document = JsonSerializer.Deserialize<ServersDocument>(File.ReadAllBytes(path), ServersJsonOptions);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a servers file ({e.Message})", e);
            }

            return document?.Servers?.FirstOrDefault(s => s?.Name == name)
                   ?? throw new InvalidDataException($"{path} has no server named '{name}'; 'takcan server list' shows them");
        }

        /// <summary>The HTTPS API of a server: its <c>martiUrl</c>, else the stream's host on port 8443 (TAK Server's default).</summary>
        private static Uri ApiUriOf(ServerEntry entry)
        {
            var (_, _, tls) = entry.Endpoint();
            if (!tls)
                throw new ArgumentException($"server '{entry.Name}' is a plain tcp:// server; TAK Server's API needs a client certificate and CA: give --url, --cert and --ca");
            return entry.MartiUri();
        }

        private static string? NodeUid(string data)
        {
            var path = Path.Combine(data, NodeConfigFile.DefaultName);
            return File.Exists(path) ? NodeConfigFile.Read(path).Uid : null;
        }

        private static Uri ApiUri(string url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
                throw new ArgumentException($"--url {url}: give the API's address as https://HOST:{DefaultApiPort}");
            return uri;
        }

        private static (X509Certificate2, X509Certificate2Collection) LoadPkcs12(byte[] pkcs12, string? password, string what)
        {
            X509Certificate2Collection all;
            try
            {
                // EphemeralKeySet keeps the key out of any OS key container; Windows' TLS stack needs a persisted one.
                var flags = OperatingSystem.IsWindows() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
                all = X509CertificateLoader.LoadPkcs12Collection(pkcs12, password, flags);
            }
            catch (CryptographicException e)
            {
                throw new InvalidDataException($"{what}: cannot open it as PKCS#12 (wrong password?): {e.Message}", e);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs12);
            }

            var identity = all.FirstOrDefault(c => c.HasPrivateKey);
            if (identity is null)
            {
                foreach (var certificate in all) certificate.Dispose();
                throw new InvalidDataException($"{what}: the PKCS#12 holds no private key");
            }

            var chain = new X509Certificate2Collection();
            foreach (var certificate in all)
                if (!ReferenceEquals(certificate, identity))
                    chain.Add(certificate);
            return (identity, chain);
        }

        private static X509Certificate2Collection LoadCa(byte[] bytes, string what)
        {
            var authorities = new X509Certificate2Collection();
            try
            {
                if (bytes.AsSpan().IndexOf("-----BEGIN CERTIFICATE-----"u8) >= 0) authorities.ImportFromPem(Encoding.ASCII.GetString(bytes));
                else authorities.Add(X509CertificateLoader.LoadCertificate(bytes));
            }
            catch (CryptographicException e)
            {
                throw new InvalidDataException($"{what}: cannot read CA certificates from it (PEM or DER): {e.Message}", e);
            }

            return authorities.Count > 0 ? authorities : throw new InvalidDataException($"{what} holds no certificate");
        }
    }

    /// <summary>A connected client and what it was made from; disposing it disposes them.</summary>
    private sealed class Target(
        MartiClient client,
        X509Certificate2 identity,
        X509Certificate2Collection chain,
        X509Certificate2Collection authorities,
        string serverName,
        string clientUid,
        string dataDirectory) : IAsyncDisposable
    {
        public MartiClient Client => client;

        public string ServerName => serverName;

        public string ClientUid => clientUid;

        public string DataDirectory => dataDirectory;

        public ValueTask DisposeAsync()
        {
            client.Dispose();
            identity.Dispose();
            foreach (var certificate in chain) certificate.Dispose();
            foreach (var certificate in authorities) certificate.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed record ServersDocument(IReadOnlyList<ServerEntry?>? Servers);
}
