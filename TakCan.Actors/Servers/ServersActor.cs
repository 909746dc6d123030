using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Event;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Protocols.Enrolment;
using static TakCan.Actors.Servers.ServerLinkProtocol;
using static TakCan.Actors.Servers.ServersProtocol;

namespace TakCan.Actors.Servers;

/// <summary>
/// The <c>servers</c> part of the device (specs/server-links.md, "Configured servers"): one
/// <see cref="ServerLinkActor"/> child per configured server (<c>server-NAME</c>), every event the device sends handed
/// to each of them, and the servers file kept in step with what runs. Servers are added, removed, enrolled and imported
/// while the node runs; each change is saved before it is answered.
/// </summary>
/// <remarks>
/// One change is saved at a time: while the file is written, other commands wait in the stash (events to send and
/// status requests do not). Slow work (enrolment over the network, opening certificates, the key store, the file)
/// runs off the actor and comes back as a message; a name is reserved from the command until its change is saved, so
/// two commands cannot claim it.
/// </remarks>
public sealed class ServersActor : ReceiveActor, IWithUnboundedStash
{
    private const string LinkPrefix = "server-";
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly string _file;
    private readonly IKeyStore _credentials;
    private readonly ServerIdentity _identity;
    private readonly IActorRef _device;
    private readonly EnrolmentOptions _enrolment;
    private readonly Func<ServerLinkSettings, ServerLinkSettings> _adjust;
    private readonly ServerMissions? _missions;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly Dictionary<string, IActorRef> _links = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _problems = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reserved = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<IActorRef, string> _stopping = new();
    private readonly Dictionary<string, ServerLinkSettings> _startWhenStopped = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyList<ServerEntry> _entries = [];
    private bool _fileUnreadable;

    public ServersActor(
        string serversFile,
        IKeyStore credentials,
        ServerIdentity identity,
        IActorRef device,
        EnrolmentOptions? enrolment = null,
        Func<ServerLinkSettings, ServerLinkSettings>? adjustLinks = null,
        MissionsSettings? missions = null)
    {
        _file = Path.GetFullPath(serversFile);
        _credentials = credentials;
        _identity = identity;
        _device = device;
        _enrolment = enrolment ?? EnrolmentOptions.Default;
        _adjust = adjustLinks ?? (settings => settings);
        _missions = missions is null ? null : new ServerMissions(missions, credentials, identity.Uid, device);
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    /// <param name="serversFile">The JSON file the servers are kept in (in the data directory); missing means none.</param>
    /// <param name="credentials">Where enrolment and import store certificates (<see cref="ServerCredentialStore"/>).</param>
    /// <param name="device">Where the links deliver what servers send (<see cref="Device.DeviceProtocol.CotReceived"/>).</param>
    /// <param name="enrolment">How to enrol; default <see cref="EnrolmentOptions.Default"/>.</param>
    /// <param name="adjustLinks">Applied to every link's settings (timings); tests shorten them.</param>
    /// <param name="missions">Where pulled missions are kept; null: mission commands are refused.</param>
    public static Props Props(
        string serversFile,
        IKeyStore credentials,
        ServerIdentity identity,
        IActorRef device,
        EnrolmentOptions? enrolment = null,
        Func<ServerLinkSettings, ServerLinkSettings>? adjustLinks = null,
        MissionsSettings? missions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(serversFile);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrEmpty(identity.Uid);
        return Akka.Actor.Props.Create(() => new ServersActor(serversFile, credentials, identity, device, enrolment, adjustLinks, missions));
    }

    /// <summary>
    /// A link that throws has a bug, not a server problem (nothing a server does makes it throw): it restarts, which
    /// drops its connection and connects afresh. Nothing is escalated: one server's trouble must not stop the device,
    /// nor the other links.
    /// </summary>
    protected override SupervisorStrategy SupervisorStrategy() => ServerLinkActor.ParentStrategy;

    protected override void PreStart()
    {
        _entries = Load();
        if (_entries.Count > 0) _log.Info("{0}: {1} TAK server(s) configured in {2}", _identity.Callsign, _entries.Count, _file);
        foreach (var entry in _entries)
        {
            if (_problems.ContainsKey(entry.Name)) continue;
            // Files are not opened here: a link keeps retrying a missing or unreadable file, so a certificate that
            // appears later (a mounted volume, a renewal) is picked up without a restart.
            ResolveAsync(entry, check: false).PipeTo(Self,
                success: settings => new Resolved(entry, settings),
                failure: e => new Unresolved(entry, Reason(e)));
        }
    }

    private void Ready()
    {
        Receive<SendToServer>(ToEveryLink);
        Receive<ListServers>(_ => List());
        Receive<AddServer>(add => OnAdd(add.Entry));
        Receive<RemoveServer>(remove => OnRemove(remove.Name));
        Receive<EnrollServer>(OnEnroll);
        Receive<ImportServers>(OnImport);
        Receive<MissionsProtocol.MissionCommand>(OnMission);
        Receive<PackageRead>(OnPackageRead);
        Receive<Prepared>(OnPrepared);
        Receive<PrepareFailed>(failed =>
        {
            _reserved.ExceptWith(failed.Reserved);
            failed.ReplyTo.Tell(failed.Refusal);
        });
        Receive<Resolved>(resolved =>
        {
            // The entry may have been removed (or removed and added again) meanwhile.
            if (_entries.Contains(resolved.Entry) && !_links.ContainsKey(resolved.Entry.Name)) StartLink(resolved.Entry.Name, resolved.Settings);
        });
        Receive<Unresolved>(unresolved =>
        {
            if (!_entries.Contains(unresolved.Entry)) return;
            _problems[unresolved.Entry.Name] = unresolved.Problem;
            _log.Error("Server {0} not started: {1}", unresolved.Entry.Name, unresolved.Problem);
        });
        Receive<Terminated>(OnTerminated);
    }

    /// <summary>While the servers file is written: changes wait, events and status requests do not.</summary>
    private void Saving(IReadOnlyList<ServerEntry> next, Action onSaved, Action<string> onFailed)
    {
        Receive<SendToServer>(ToEveryLink);
        Receive<ListServers>(_ => List());
        Receive<Terminated>(OnTerminated);
        Receive<Saved>(_ =>
        {
            _entries = next;
            _fileUnreadable = false;
            onSaved();
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<SaveFailed>(failed =>
        {
            _log.Error("Servers file {0} not saved: {1}", _file, failed.Reason);
            onFailed(failed.Reason);
            Become(Ready);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void ToEveryLink(SendToServer send)
    {
        foreach (var link in _links.Values) link.Tell(send);
    }

    private void List()
    {
        var servers = _entries.Select(e => (Entry: e, Link: _links.GetValueOrDefault(e.Name), Problem: _problems.GetValueOrDefault(e.Name))).ToList();
        Task.WhenAll(servers.Select(async s => new ConfiguredServer(s.Entry, s.Link is null ? null : await StatusOf(s.Link), s.Problem)))
            .PipeTo(Sender, success: list => new ServerList(list));

        static async Task<ServerStatus?> StatusOf(IActorRef link)
        {
            try
            {
                return await link.Ask<ServerStatus>(GetServerStatus.Instance, StatusTimeout);
            }
            catch (AskTimeoutException)
            {
                return null; // restarting; the list is still worth having
            }
        }
    }

    private void OnAdd(ServerEntry entry)
    {
        if (Refuse(entry) is { } refused)
        {
            Sender.Tell(refused);
            return;
        }

        var replyTo = Sender;
        _reserved.Add(entry.Name);
        ResolveAsync(entry, check: true).PipeTo(Self,
            success: settings => new Prepared([(entry, settings)], new ServerAdded(entry), replyTo, [entry.Name]),
            failure: e => new PrepareFailed(new ServerRefused(ServerRefusal.Invalid, Reason(e)), replyTo, [entry.Name]));
    }

    private void OnRemove(string name)
    {
        var entry = _entries.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (entry is null)
        {
            Sender.Tell(new ServerRefused(ServerRefusal.NotFound, $"no server named '{name}' is configured"));
            return;
        }

        var replyTo = Sender;
        Save(_entries.Where(e => e != entry).ToList(),
            onSaved: () =>
            {
                StopLink(entry.Name);
                _problems.Remove(entry.Name);
                _log.Info("Server {0} removed", entry.Name);
                replyTo.Tell(new ServerRemoved(entry.Name));
            },
            onFailed: reason => replyTo.Tell(NotSaved(reason)));
    }

    private void OnEnroll(EnrollServer enroll)
    {
        var entry = new ServerEntry
        {
            Name = enroll.Name,
            Url = ServerEntry.FormatUrl(tls: true, enroll.Target.Host, enroll.Target.Server.Port),
            Certificate = ServerEntry.InKeyStore(enroll.Name),
            Ca = ServerEntry.InKeyStore(enroll.Name),
        };
        if (Refuse(entry) is { } refused)
        {
            Sender.Tell(refused);
            return;
        }

        if (enroll.Target.Server.Protocol != TakStreamProtocol.Ssl)
        {
            Sender.Tell(new ServerRefused(ServerRefusal.Invalid,
                $"enrolment gets a certificate for a TLS stream, but {enroll.Target.Server} is {enroll.Target.Server.Protocol.ToString().ToLowerInvariant()}; give host:port:ssl"));
            return;
        }

        var replyTo = Sender;
        _reserved.Add(entry.Name);
        EnrollAsync().PipeTo(Self, failure: e => new PrepareFailed(new ServerRefused(ServerRefusal.EnrolmentFailed, Reason(e)), replyTo, [entry.Name]));

        async Task<object> EnrollAsync()
        {
            EnrolmentResult result;
            try
            {
                result = await new CertificateEnrolment(_enrolment)
                    .EnrollAsync(enroll.Target, enroll.Password, _identity.Uid, _credentials, enroll.Trust, entry.Name);
            }
            catch (EnrolmentException e)
            {
                return new PrepareFailed(new ServerRefused(ServerRefusal.EnrolmentFailed, e.Message), replyTo, [entry.Name]);
            }

            try
            {
                var settings = await ResolveAsync(entry, check: true);
                return new Prepared([(entry, settings)], new ServerEnrolled(entry, result), replyTo, [entry.Name]);
            }
            catch (Exception e) when (IsRefusal(e))
            {
                return new PrepareFailed(new ServerRefused(ServerRefusal.Invalid, $"enrolled, but the stored certificate cannot be used: {e.Message}"), replyTo, [entry.Name]);
            }
        }
    }

    private void OnImport(ImportServers import)
    {
        if (import.Name is not null && RefuseName(import.Name) is { } refused)
        {
            Sender.Tell(refused);
            return;
        }

        var replyTo = Sender;
        var bytes = import.Package;
        Task.Run(() => ServerConnectionPackage.Read(new MemoryStream(bytes.ToArray(), writable: false))).PipeTo(Self,
            success: package => new PackageRead(package, import.Name, replyTo),
            failure: e => new PrepareFailed(new ServerRefused(ServerRefusal.Invalid, Reason(e)), replyTo, []));
    }

    /// <summary>
    /// A mission command runs off the actor against the named server (or the only one) with the credentials its link
    /// uses (specs/marti.md, "Pull into the node"); the answer goes straight to the asker.
    /// </summary>
    private void OnMission(MissionsProtocol.MissionCommand command)
    {
        var replyTo = Sender;
        if (_missions is null)
        {
            replyTo.Tell(new MissionsProtocol.MissionRefused(MissionsProtocol.MissionRefusal.Unusable, "this device keeps no DataSync missions"));
            return;
        }

        var entry = command.Server is { } name
            ? _entries.FirstOrDefault(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            : _entries.Count == 1 ? _entries[0] : null;
        if (entry is null)
        {
            replyTo.Tell(new MissionsProtocol.MissionRefused(MissionsProtocol.MissionRefusal.UnknownServer, command.Server is { } unknown
                ? $"no server named '{unknown}' is configured; 'takcan server list' shows them"
                : _entries.Count == 0
                    ? "this device has no TAK server configured; add one with 'takcan server add'"
                    : $"name the server: this device has {_entries.Count} configured"));
            return;
        }

        var missions = _missions;
        // Certificates are decoded before the first await: not on the actor's thread.
        Task.Run(RunAsync).PipeTo(replyTo);

        async Task<object> RunAsync()
        {
            ServerLinkSettings settings;
            try
            {
                settings = await ResolveAsync(entry, check: false);
            }
            catch (Exception e) when (IsRefusal(e))
            {
                return new MissionsProtocol.MissionRefused(MissionsProtocol.MissionRefusal.Unusable, $"server '{entry.Name}' cannot be used for missions: {e.Message}");
            }

            return await missions.RunAsync(entry, settings, command);
        }
    }

    /// <summary>Names the package's connections and leaves out the ones no link could use, before anything is stored.</summary>
    private void OnPackageRead(PackageRead read)
    {
        if (read.Name is not null && Taken(read.Name))
        {
            read.ReplyTo.Tell(NameTaken(read.Name));
            return;
        }

        var notes = new List<string>();
        var plan = new List<(PackagedServerConnection Connection, string Name)>();
        var taken = new HashSet<string>(_entries.Select(e => e.Name).Concat(_reserved), StringComparer.OrdinalIgnoreCase);
        foreach (var connection in read.Package.Connections)
        {
            var label = connection.Description is { Length: > 0 } description ? $"'{description}' ({connection.Server})" : connection.Server.ToString();
            var leftOut = connection switch
            {
                { Enabled: false } => "is disabled in the package",
                { Server.Protocol: TakStreamProtocol.Quic } => "is a QUIC stream, which TAK Can does not speak",
                { Server.Protocol: TakStreamProtocol.Ssl, Truststore: null } => "has no truststore, so its server could not be verified",
                { Server.Protocol: TakStreamProtocol.Ssl, ClientCertificate: null, EnrollForCertificate: true } =>
                    $"asks to enrol for a certificate: use `takcan server enroll NAME --host {connection.Server}` with your user name and password",
                { Server.Protocol: TakStreamProtocol.Ssl, ClientCertificate: null } => "has no client certificate",
                _ => null,
            };
            if (leftOut is not null)
            {
                notes.Add($"{label} {leftOut}; not added");
                continue;
            }

            var wanted = read.Name is null
                ? ServerCredentialNames.NameFor(connection.Server.Host)
                : plan.Count == 0 ? read.Name : $"{read.Name}-{plan.Count + 1}";
            var unique = wanted;
            for (var n = 2; taken.Contains(unique); n++) unique = $"{wanted}-{n}";
            taken.Add(unique);
            plan.Add((connection, unique));
            if (connection.UseAuth)
                notes.Add($"{unique}: the package asks for a user name and password, which it does not carry; remove the server and add it again with them");
        }

        if (plan.Count == 0)
        {
            read.ReplyTo.Tell(new ServerRefused(ServerRefusal.Invalid, "the package has no server connection TAK Can can use: " + string.Join("; ", notes)));
            return;
        }

        var names = plan.Select(p => p.Name).ToList();
        _reserved.UnionWith(names);
        ImportAsync().PipeTo(Self, failure: e => new PrepareFailed(new ServerRefused(ServerRefusal.Invalid, Reason(e)), read.ReplyTo, names));

        async Task<object> ImportAsync()
        {
            var import = new ServerConnectionImport(_credentials);
            var servers = new List<(ServerEntry, ServerLinkSettings)>();
            foreach (var (connection, name) in plan)
            {
                try
                {
                    // One connection at a time, so each is stored under the name chosen here.
                    var imported = (await import.ImportAsync(new ServerConnectionPackage(read.Package.Manifest, [connection]), name)).Single();
                    var entry = new ServerEntry
                    {
                        Name = name,
                        Url = ServerEntry.FormatUrl(connection.Server.Protocol == TakStreamProtocol.Ssl, connection.Server.Host, connection.Server.Port),
                        Certificate = imported.ClientCertificateSubject is null ? null : ServerEntry.InKeyStore(name),
                        Ca = imported.CaCertificates > 0 ? ServerEntry.InKeyStore(name) : null,
                    };
                    entry.Validate();
                    servers.Add((entry, await ResolveAsync(entry, check: true)));
                }
                catch (Exception e) when (IsRefusal(e))
                {
                    notes.Add($"{name} ({connection.Server}): {e.Message}; not added");
                }
            }

            return servers.Count == 0
                ? new PrepareFailed(new ServerRefused(ServerRefusal.Invalid, "no server from the package could be added: " + string.Join("; ", notes)), read.ReplyTo, names)
                : new Prepared(servers, new ServersImported(servers.Select(s => s.Item1).ToList(), notes), read.ReplyTo, names);
        }
    }

    private void OnPrepared(Prepared prepared)
    {
        Save(_entries.Concat(prepared.Servers.Select(s => s.Entry)).ToList(),
            onSaved: () =>
            {
                _reserved.ExceptWith(prepared.Reserved);
                foreach (var (entry, settings) in prepared.Servers)
                {
                    _log.Info("Server {0} added: {1}", entry.Name, entry.Url);
                    StartLink(entry.Name, settings);
                }

                prepared.ReplyTo.Tell(prepared.Reply);
            },
            onFailed: reason =>
            {
                _reserved.ExceptWith(prepared.Reserved);
                prepared.ReplyTo.Tell(NotSaved(reason));
            });
    }

    private void OnTerminated(Terminated terminated)
    {
        if (_stopping.Remove(terminated.ActorRef, out var name))
        {
            if (_startWhenStopped.Remove(name, out var settings)) StartLink(name, settings);
            return;
        }

        // ServerLinkActor.ParentStrategy restarts a link whatever it throws; a link that stops anyway is a bug.
        foreach (var (linkName, link) in _links.Where(l => l.Value.Equals(terminated.ActorRef)).ToList())
        {
            _links.Remove(linkName);
            _problems[linkName] = "its link stopped; restart the node";
            _log.Error("Server {0}: its link stopped unexpectedly", linkName);
        }
    }

    private void StartLink(string name, ServerLinkSettings settings)
    {
        // A link of the same name that is still stopping holds the actor name; start when it is gone.
        if (_stopping.ContainsValue(name))
        {
            _startWhenStopped[name] = settings;
            return;
        }

        _problems.Remove(name);
        _links[name] = Context.Watch(Context.ActorOf(ServerLinkActor.Props(settings, _device), LinkPrefix + name));
    }

    private void StopLink(string name)
    {
        _startWhenStopped.Remove(name);
        if (!_links.Remove(name, out var link)) return;
        _stopping[link] = name;
        Context.Stop(link);
    }

    private ServerRefused? Refuse(ServerEntry entry)
    {
        try
        {
            entry.Validate();
        }
        catch (ArgumentException e)
        {
            return new ServerRefused(ServerRefusal.Invalid, e.Message);
        }

        return Taken(entry.Name) ? NameTaken(entry.Name) : null;
    }

    private ServerRefused? RefuseName(string name)
    {
        try
        {
            ServerCredentialNames.For(name);
        }
        catch (EnrolmentException e)
        {
            return new ServerRefused(ServerRefusal.Invalid, e.Message);
        }

        return Taken(name) ? NameTaken(name) : null;
    }

    private bool Taken(string name) => _reserved.Contains(name) || _entries.Any(e => e.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static ServerRefused NameTaken(string name) =>
        new(ServerRefusal.NameTaken, $"a server named '{name}' is already configured (or being added); remove it first or choose another name");

    private ServerRefused NotSaved(string reason) =>
        new(ServerRefusal.NotSaved, $"the servers file {_file} could not be written ({reason}); nothing was changed");

    private void Save(IReadOnlyList<ServerEntry> next, Action onSaved, Action<string> onFailed)
    {
        var file = _file;
        var keepBadCopy = _fileUnreadable;
        Task.Run(() => ServersJson.Write(file, next, keepBadCopy)).PipeTo(Self,
            success: () => Saved.Instance,
            failure: e => new SaveFailed(Reason(e)));
        Become(() => Saving(next, onSaved, onFailed));
    }

    /// <summary>
    /// The link settings of <paramref name="entry"/>, with passwords of key-store certificates read from the key
    /// store. With <paramref name="check"/>, the CA and client certificate are opened, so a wrong password or file is
    /// refused at once rather than found by the link.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are unusable.</exception>
    /// <exception cref="ServerLinkException">A certificate is missing or cannot be opened.</exception>
    /// <exception cref="EnrolmentException">Stored credentials are damaged.</exception>
    private async Task<ServerLinkSettings> ResolveAsync(ServerEntry entry, bool check)
    {
        var (host, port, tls) = entry.Endpoint();
        ServerTlsSettings? tlsSettings = null;
        if (tls)
        {
            var ca = entry.CaInKeyStore is { } caName
                ? await KeyStoreFileAsync(ServerCredentialNames.For(caName).CaCertificates)
                : entry.Ca!;
            ClientCertificateSource? client = null;
            if (entry.CertificateInKeyStore is { } certificateName)
            {
                var names = ServerCredentialNames.For(certificateName);
                var path = await KeyStoreFileAsync(names.ClientCertificate);
                var password = await _credentials.LoadAsync(names.ClientPassword)
                    ?? throw new ServerLinkException($"the key store holds {names.ClientCertificate} but not its password; enrol or import the server again");
                client = new ClientCertificateSource.Pkcs12File(path, Encoding.UTF8.GetString(password));
            }
            else if (entry.Certificate is { } file)
            {
                client = new ClientCertificateSource.Pkcs12File(file, entry.CertificatePassword);
            }

            tlsSettings = new ServerTlsSettings { CaFile = ca, ClientCertificate = client };
        }

        var settings = _adjust(new ServerLinkSettings
        {
            Name = entry.Name,
            Host = host,
            Port = port,
            Tls = tlsSettings,
            Credentials = string.IsNullOrEmpty(entry.Username) ? null : new ServerCredentials(entry.Username, entry.Password ?? ""),
            DeviceUid = _identity.Uid,
        });
        settings.Validate();
        if (check && settings.Tls is { } toCheck) toCheck.Load(host).Dispose();
        return settings;
    }

    /// <summary>
    /// A link reads its certificates from files at each connection attempt, so a key-store item has to be a file:
    /// <see cref="FileKeyStore"/> gives its path.
    /// </summary>
    private async Task<string> KeyStoreFileAsync(string item)
    {
        if (_credentials is not FileKeyStore files)
            throw new ServerLinkException($"this device's key store keeps {item} where a server link cannot read it; give certificate files instead");
        if (await _credentials.LoadAsync(item) is null)
            throw new ServerLinkException($"the key store holds no {item}; enrol with the server or import its data package first");
        return files.PathOf(item);
    }

    private IReadOnlyList<ServerEntry> Load()
    {
        IReadOnlyList<ServerEntry?> read;
        try
        {
            read = ServersJson.Read(_file);
        }
        catch (InvalidDataException e)
        {
            _fileUnreadable = true;
            _log.Error("Servers file {0} cannot be read, so no TAK server is linked: {1}. Fix it and restart the node; " +
                       "if servers are changed first, it is kept as {0}.bad", _file, e.Message);
            return [];
        }

        var entries = new List<ServerEntry>();
        foreach (var entry in read)
        {
            if (entry is null || string.IsNullOrWhiteSpace(entry.Name))
            {
                _log.Error("Servers file {0}: a server without a name is ignored", _file);
                continue;
            }

            if (entries.Any(e => e.Name.Equals(entry.Name, StringComparison.OrdinalIgnoreCase)))
            {
                _log.Error("Servers file {0}: a second server named '{1}' is ignored", _file, entry.Name);
                continue;
            }

            // A hand-edited entry that does not validate is kept (and listed with its problem) so it can be removed.
            try
            {
                entry.Validate();
            }
            catch (ArgumentException e)
            {
                _problems[entry.Name] = e.Message;
                _log.Error("Servers file {0}: server {1} not started: {2}", _file, entry.Name, e.Message);
            }

            entries.Add(entry);
        }

        return entries;
    }

    private static bool IsRefusal(Exception e) =>
        e is ArgumentException or ServerLinkException or EnrolmentException or IOException or UnauthorizedAccessException;

    private static string Reason(Exception e) => e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message;

    private sealed record Resolved(ServerEntry Entry, ServerLinkSettings Settings);

    private sealed record Unresolved(ServerEntry Entry, string Problem);

    private sealed record PackageRead(ServerConnectionPackage Package, string? Name, IActorRef ReplyTo);

    /// <summary>Servers ready to be saved and started, and the answer to give once they are.</summary>
    private sealed record Prepared(IReadOnlyList<(ServerEntry Entry, ServerLinkSettings Settings)> Servers, object Reply, IActorRef ReplyTo, IReadOnlyList<string> Reserved);

    private sealed record PrepareFailed(ServerRefused Refusal, IActorRef ReplyTo, IReadOnlyList<string> Reserved);

    private sealed record Saved
    {
        public static Saved Instance { get; } = new();
    }

    private sealed record SaveFailed(string Reason);

    /// <summary>
    /// The servers file: <c>{"servers": [ServerEntry…]}</c> in camelCase. It holds the passwords given with
    /// certificate files and user names, so it is written like a key-store item: mode 0600 from creation, flushed,
    /// then renamed over the old one.
    /// </summary>
    private static class ServersJson
    {
        private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        /// <exception cref="InvalidDataException">The file exists but is not a servers file.</exception>
        public static IReadOnlyList<ServerEntry?> Read(string path)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return [];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidDataException(e.Message, e);
            }

            try
            {
                var document = JsonSerializer.Deserialize<Document>(bytes, Options) ?? throw new InvalidDataException("it is empty (null)");
                return document.Servers ?? throw new InvalidDataException("it has no \"servers\" list");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"not a servers file ({e.Message})", e);
            }
        }

        public static void Write(string path, IReadOnlyList<ServerEntry> entries, bool keepOldAsBad)
        {
            var directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory);
            if (keepOldAsBad && File.Exists(path)) File.Copy(path, path + ".bad", overwrite: true);
            var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileKeyStore.FileMode;
            try
            {
                using (var stream = new FileStream(temp, options))
                {
                    JsonSerializer.Serialize(stream, new Document(entries.ToList<ServerEntry?>()), Options);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, path, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }

        private sealed record Document(IReadOnlyList<ServerEntry?>? Servers);
    }
}
