using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TakCan.Actors.Platform;
using TakCan.Actors.Situation.Chat;
using TakCan.Host.Console.Api;
using TakCan.Protocols.Mesh.Keys;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Rig;

/// <summary>
/// Runs a rig (specs/rig.md): N <c>takcan node</c> processes on 127.0.0.1 linked as the topology says, one fresh mission
/// key, traffic through their local APIs, delivery read back from every node, and every process stopped at the end —
/// on success, on failure and on cancellation (Ctrl+C) alike.
/// </summary>
public sealed class RigRunner(RigOptions options, Action<string> say)
{
    private const string Team = "Cyan";
    private const string KeyFileName = "mission.key";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <exception cref="RigException">The rig could not start: a port in use, a node that exited or never answered.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the nodes are stopped all the same.</exception>
    public async Task<RigReport> RunAsync(CancellationToken cancellation)
    {
        var topology = options.Topology;
        var maxHops = Math.Clamp(topology.Diameter, MissionKey.MinHops, MissionKey.MaxHopsLimit);
        RefuseBusyPorts();

        var root = options.Root is null ? Directory.CreateTempSubdirectory("takcan-rig-").FullName : Path.GetFullPath(options.Root);
        var createdRoot = options.Root is null || !Directory.Exists(root);
        Directory.CreateDirectory(root);
        var nodes = Enumerable.Range(0, topology.Nodes)
            .Select(i => new RigNode(i, Path.Combine(root, $"rig-{i + 1}"), options.MeshPort(i), options.ApiPort(i)))
            .ToArray();
        // An old journal would show contacts and chat from an earlier run as if delivered in this one.
        if (nodes.FirstOrDefault(n => Directory.Exists(n.DataDirectory)) is { } old)
            throw new RigException($"{old.DataDirectory} already exists (an earlier rig's node?); remove it or choose another --data");

        // Ctrl+C and a dying rig take the nodes with them; the cancellation callback runs at once, before any await
        // unwinds, so the nodes go even when the command line gives up waiting for this method.
        void KillAll()
        {
            foreach (var node in nodes) node.Kill();
        }

        void OnExit(object? sender, EventArgs e) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += OnExit;
        var clock = Stopwatch.StartNew();
        Run run;
        int leftover;
        try
        {
            await using (cancellation.Register(KillAll))
            {
                run = await DriveAsync(nodes, maxHops, root, clock, cancellation);
            }
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= OnExit;
            KillAll();
            await Task.WhenAll(nodes.Select(n => n.WaitForExitAsync(TimeSpan.FromSeconds(10))));
            var running = nodes.Where(n => n.IsRunning).ToArray();
            leftover = running.Length;
            say(leftover == 0 ? $"stopped {nodes.Length} nodes" : $"{leftover} node process(es) would not stop: pid {string.Join(", ", running.Select(n => n.Pid))}");
            foreach (var node in nodes) await node.DisposeAsync();
            if (options.Keep) say($"data directories kept in {root}");
            else Clean(root, nodes, createdRoot);
        }

        return Report(nodes, run, maxHops, leftover, clock.Elapsed);
    }

    private async Task<Run> DriveAsync(RigNode[] nodes, int maxHops, string root, Stopwatch clock, CancellationToken cancellation)
    {
        var topology = options.Topology;
        var key = MissionKey.Generate($"rig {topology.Kind.ToString().ToLowerInvariant()} {topology.Nodes}", Team, maxHops, DateTime.UtcNow.AddDays(1));
        await new FileKeyStore(root).SaveAsync(KeyFileName, MissionKeyFile.Write(key), cancellation);
        foreach (var node in nodes)
        {
            var (row, column) = topology.Place(node.Index);
            node.WriteConfig(Path.Combine(root, KeyFileName), topology.Neighbours(node.Index).Select(i => nodes[i]),
                45.4215 + row * 0.001, -75.6972 + column * 0.0014, options.Walk);
        }

        say($"{topology.Nodes} nodes, {topology.Kind.ToString().ToLowerInvariant()} (links: {topology.Links.Count()}, diameter {topology.Diameter}), " +
            $"max hops {maxHops}, mission key {MissionKey.FormatKeyId(key.KeyId)}; mesh UDP 127.0.0.1:{options.MeshPort(0)}–{options.MeshPort(topology.Nodes - 1)}, " +
            $"API {options.ApiPort(0)}–{options.ApiPort(topology.Nodes - 1)}; data in {root}");
        foreach (var node in nodes) node.Start(options.Takcan);
        await Task.WhenAll(nodes.Select(n => n.WaitForApiAsync(options.StartTimeout, cancellation)));
        var startup = clock.Elapsed;
        say($"all APIs answer after {startup.TotalSeconds:0.0} s (pids {string.Join(' ', nodes.Select(n => n.Pid))})");
        foreach (var node in nodes) node.Listen();

        var links = await WaitForLinksAsync(nodes, clock, cancellation);
        var linksUpAt = DateTime.UtcNow;

        var trafficAt = clock.Elapsed;
        var sent = new string[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var text = string.Create(CultureInfo.InvariantCulture, $"{node.Callsign} rig check {DateTime.UtcNow:HH:mm:ss.fff}");
            sent[i] = (await PatientlyAsync(node, "sending a chat", ct => node.Api.SendChatAsync(ChatProtocol.AllChatRooms, text, ct), cancellation)).MessageId;
        }

        if (options.Emergency)
            await PatientlyAsync(nodes[0], "raising a 911 Alert", ct => nodes[0].Api.RaiseEmergencyAsync(EmergencyTypes.Alert911, ct), cancellation);
        say($"sent a GeoChat from each node{(options.Emergency ? $" and a 911 Alert from {nodes[0].Callsign}" : "")}; waiting up to {options.Duration.TotalSeconds:0} s for delivery");

        var seen = Seen.Empty(nodes.Length);
        TimeSpan? deliveredAfter = null;
        while (true)
        {
            seen = await PollAsync(nodes, seen, cancellation);
            if (Missing(nodes, seen, sent, maxHops) == 0)
            {
                deliveredAfter = clock.Elapsed - trafficAt;
                say($"every expected delivery seen {deliveredAfter.Value.TotalSeconds:0.0} s after the traffic was sent");
                break;
            }

            if (clock.Elapsed - trafficAt >= options.Duration)
            {
                say($"{Missing(nodes, seen, sent, maxHops)} expected deliveries still missing after {options.Duration.TotalSeconds:0} s");
                break;
            }

            await Task.Delay(PollInterval, cancellation);
        }

        if (options.Hold > TimeSpan.Zero)
        {
            say($"holding {options.Hold.TotalSeconds:0} s more for SA latency samples");
            await Task.Delay(options.Hold, cancellation);
            seen = await PollAsync(nodes, seen, cancellation);
        }

        var counters = await Task.WhenAll(nodes.Select(async n =>
        {
            try
            {
                return (await n.Api.GetStatusAsync(cancellation)).Counters;
            }
            catch (LocalApiCallException)
            {
                return null;
            }
        }));
        return new Run(startup, links.UpAfter, deliveredAfter, linksUpAt, links.Up, sent, seen, counters);
    }

    /// <summary>
    /// A call that a node under load may answer late (503 from an actor ask, or a client timeout): asked again for up to
    /// <see cref="Patience"/>. A refusal (4xx) is a failed rig.
    /// </summary>
    private static async Task<T> PatientlyAsync<T>(RigNode node, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellation)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call(cancellation);
            }
            catch (LocalApiCallException e) when (e.StatusCode is null or 503 && node.IsRunning && waited.Elapsed < Patience)
            {
                await Task.Delay(PollInterval, cancellation);
            }
            catch (LocalApiCallException e)
            {
                throw new RigException($"{node.Callsign}: {what} failed: {e.Message}{(node.IsRunning ? "" : node.Said())}", e);
            }
        }
    }

    /// <summary>Until every node has a verified peer on each of its topology links, or the start timeout.</summary>
    private async Task<(TimeSpan? UpAfter, int[] Up)> WaitForLinksAsync(RigNode[] nodes, Stopwatch clock, CancellationToken cancellation)
    {
        var deadline = clock.Elapsed + options.StartTimeout;
        var up = new int[nodes.Length];
        while (true)
        {
            await Task.WhenAll(nodes.Select(async n =>
            {
                try
                {
                    var status = await n.Api.GetStatusAsync(cancellation);
                    up[n.Index] = status.Links.Where(l => l.Up && l.PeerNode is not null).Select(l => l.PeerNode).Distinct().Count();
                }
                catch (LocalApiCallException)
                {
                    // Busy starting, or gone (checked below); asked again next round.
                }
            }));
            if (nodes.FirstOrDefault(n => !n.IsRunning) is { } dead)
                throw new RigException($"{dead.Callsign} exited while the links came up{dead.Said()}");
            var short_ = nodes.Where(n => up[n.Index] < options.Topology.Neighbours(n.Index).Count).ToArray();
            if (short_.Length == 0)
            {
                say($"all {options.Topology.Links.Count()} links up after {clock.Elapsed.TotalSeconds:0.0} s");
                return (clock.Elapsed, up);
            }

            if (clock.Elapsed >= deadline)
            {
                say("links still down after " + options.StartTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s: " +
                    string.Join(", ", short_.Select(n => $"{n.Callsign} {up[n.Index]}/{options.Topology.Neighbours(n.Index).Count}")) +
                    "; sending traffic anyway");
                return (null, up);
            }

            await Task.Delay(250, cancellation);
        }
    }

    /// <summary>One look at every node's contacts, chat log and emergencies; a node that does not answer keeps what it had.</summary>
    private async Task<Seen> PollAsync(RigNode[] nodes, Seen before, CancellationToken cancellation)
    {
        var now = before with
        {
            Contacts = (HashSet<string>[])before.Contacts.Clone(),
            Chats = (HashSet<string>[])before.Chats.Clone(),
            Emergencies = (HashSet<string>[])before.Emergencies.Clone(),
        };
        await Task.WhenAll(nodes.Select(async n =>
        {
            try
            {
                var contacts = await n.Api.GetContactsAsync(cancellation);
                var chat = await n.Api.GetChatLogAsync(cancellationToken: cancellation);
                var emergency = options.Emergency ? await n.Api.GetEmergencyStateAsync(cancellation) : null;
                now.Contacts[n.Index] = contacts.Contacts.Select(c => c.Uid).ToHashSet();
                now.Chats[n.Index] = chat.Messages.Where(m => m.State == ChatProtocol.DeliveryState.Received).Select(m => m.MessageId).ToHashSet();
                now.Emergencies[n.Index] = emergency?.Incoming.Select(e => e.Uid).ToHashSet() ?? [];
            }
            catch (LocalApiCallException)
            {
                // A slow answer under load, or a dead node (checked below); the next round asks again.
            }
        }));
        if (nodes.FirstOrDefault(n => !n.IsRunning) is { } dead)
            throw new RigException($"{dead.Callsign} exited during the run{dead.Said()}");
        return now;
    }

    private int Missing(RigNode[] nodes, Seen seen, string[] sent, int maxHops)
    {
        var missing = 0;
        foreach (var from in nodes)
        foreach (var to in nodes)
        {
            if (from == to || options.Topology.Distance(from.Index, to.Index) > maxHops) continue;
            if (!seen.Contacts[to.Index].Contains(from.Uid)) missing++;
            // The contact may predate the event stream; the report's hops and SA latency need one SA seen on the stream.
            else if (!to.HeardEvents.Any(h => h.Uid == from.Uid && h.Type.StartsWith("a-", StringComparison.Ordinal))) missing++;
            if (!seen.Chats[to.Index].Contains(sent[from.Index])) missing++;
            if (options.Emergency && from.Index == 0 && !HasEmergencyFrom(seen.Emergencies[to.Index], from)) missing++;
        }

        return missing;
    }

    private static bool HasEmergencyFrom(HashSet<string> incoming, RigNode from) =>
        incoming.Any(uid => uid.StartsWith(from.Uid, StringComparison.Ordinal));

    private RigReport Report(RigNode[] nodes, Run run, int maxHops, int leftover, TimeSpan wall)
    {
        var topology = options.Topology;
        var pairs = new List<RigReport.Pair>();
        var saLatency = new List<double>();
        var chatLatency = new List<double>();
        var emergencyLatency = new List<double>();
        foreach (var from in nodes)
        foreach (var to in nodes)
        {
            if (from == to) continue;
            var distance = topology.Distance(from.Index, to.Index);
            var expected = distance <= maxHops;
            var heard = to.HeardEvents;
            var sa = heard.Where(h => h.Uid == from.Uid && h.Type.StartsWith("a-", StringComparison.Ordinal)).ToArray();
            var saSamples = sa.Where(h => h.ReceivedAt >= run.LinksUpAt).Select(h => h.LatencyMs).ToArray();
            var chat = heard.FirstOrDefault(h => h.Type == "b-t-f" && h.Uid.StartsWith($"GeoChat.{from.Uid}.", StringComparison.Ordinal));
            var alert = heard.FirstOrDefault(h => h.Type.StartsWith("b-a-o", StringComparison.Ordinal) && h.Uid.StartsWith(from.Uid, StringComparison.Ordinal));
            var raised = options.Emergency && from.Index == 0;
            if (expected)
            {
                saLatency.AddRange(saSamples);
                if (chat is not null) chatLatency.Add(chat.LatencyMs);
                if (raised && alert is not null) emergencyLatency.Add(alert.LatencyMs);
            }

            pairs.Add(new RigReport.Pair(
                from.Callsign, to.Callsign, distance, expected,
                run.Seen.Contacts[to.Index].Contains(from.Uid),
                sa.Length == 0 ? null : sa.Min(h => h.Hops),
                RigReport.Latency.Of(saSamples)?.P50,
                run.Seen.Chats[to.Index].Contains(run.Sent[from.Index]),
                chat?.Hops,
                chat is null ? null : Math.Round(chat.LatencyMs, 1),
                raised ? HasEmergencyFrom(run.Seen.Emergencies[to.Index], from) : null));
        }

        var inReach = pairs.Where(p => p.Expected).ToArray();
        var saDelivery = Delivery(inReach.Length, inReach.Count(p => p.Sa), saLatency);
        var chatDelivery = Delivery(inReach.Length, inReach.Count(p => p.Chat), chatLatency);
        var emergencyPairs = inReach.Where(p => p.Emergency is not null).ToArray();
        var emergencyDelivery = options.Emergency ? Delivery(emergencyPairs.Length, emergencyPairs.Count(p => p.Emergency == true), emergencyLatency) : null;
        var expectedAll = saDelivery.Expected + chatDelivery.Expected + (emergencyDelivery?.Expected ?? 0);
        var deliveredAll = saDelivery.Delivered + chatDelivery.Delivered + (emergencyDelivery?.Delivered ?? 0);

        return new RigReport
        {
            Topology = topology.Kind,
            Nodes = topology.Nodes,
            Columns = topology.Columns,
            Diameter = topology.Diameter,
            MaxHops = maxHops,
            BasePort = options.BasePort,
            StartupS = Seconds(run.Startup),
            LinksUpS = run.LinksUp is { } up ? Seconds(up) : null,
            DeliveryS = run.Delivered is { } delivered ? Seconds(delivered) : null,
            WallS = Seconds(wall),
            Complete = deliveredAll == expectedAll,
            DeliveryRatio = expectedAll == 0 ? 1 : Math.Round((double)deliveredAll / expectedAll, 4),
            Sa = saDelivery,
            Chat = chatDelivery,
            Emergency = emergencyDelivery,
            BeyondMaxHops = pairs.Where(p => !p.Expected).Select(p => new RigReport.PairRef(p.From, p.To, p.Distance)).ToArray(),
            LeftoverProcesses = leftover,
            Processes = nodes.Select(n => new RigReport.NodeFigures(
                n.Callsign, n.Uid, n.Pid, n.MeshPort, n.ApiPort, n.DataDirectory,
                topology.Neighbours(n.Index).Select(i => nodes[i].Callsign).ToArray(),
                run.LinksUpCount[n.Index],
                run.Counters[n.Index]?.FramesSent ?? 0,
                run.Counters[n.Index]?.FramesReceived ?? 0,
                run.Counters[n.Index]?.Originated ?? 0,
                run.Counters[n.Index]?.Delivered ?? 0,
                run.Counters[n.Index]?.Relayed ?? 0,
                run.Counters[n.Index]?.Drops ?? new Dictionary<string, long>())).ToArray(),
            Pairs = pairs,
        };
    }

    private static RigReport.Delivery Delivery(int expected, int delivered, IEnumerable<double> latency) =>
        new(expected, delivered, expected == 0 ? 1 : Math.Round((double)delivered / expected, 4), RigReport.Latency.Of(latency));

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 2);

    private void RefuseBusyPorts()
    {
        for (var i = 0; i < options.Topology.Nodes; i++)
        {
            Probe(options.MeshPort(i), SocketType.Dgram, ProtocolType.Udp, "mesh UDP");
            Probe(options.ApiPort(i), SocketType.Stream, ProtocolType.Tcp, "API TCP");
        }

        void Probe(int port, SocketType type, ProtocolType protocol, string what)
        {
            if (port is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
                throw new RigException($"{what} port {port} is out of range; choose a --base-port up to {IPEndPoint.MaxPort - RigOptions.ApiPortOffset - options.Topology.Nodes}");
            using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException e)
            {
                throw new RigException($"{what} port {port} on 127.0.0.1 is in use ({e.SocketErrorCode}); choose another --base-port", e);
            }
        }
    }

    /// <summary>Deletes what the rig made and nothing else: a --data directory may hold the user's own files.</summary>
    private void Clean(string root, RigNode[] nodes, bool createdRoot)
    {
        try
        {
            foreach (var node in nodes.Where(n => Directory.Exists(n.DataDirectory))) Directory.Delete(node.DataDirectory, recursive: true);
            File.Delete(Path.Combine(root, KeyFileName));
            if (createdRoot && !Directory.EnumerateFileSystemEntries(root).Any()) Directory.Delete(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            say($"could not delete the rig's data in {root}: {e.Message}");
        }
    }

    private sealed record Run(
        TimeSpan Startup,
        TimeSpan? LinksUp,
        TimeSpan? Delivered,
        DateTime LinksUpAt,
        int[] LinksUpCount,
        string[] Sent,
        Seen Seen,
        CountersResponse?[] Counters);

    /// <summary>What each node showed at the last poll: contact uids, received chat message ids, incoming emergency uids.</summary>
    private sealed record Seen(HashSet<string>[] Contacts, HashSet<string>[] Chats, HashSet<string>[] Emergencies)
    {
        public static Seen Empty(int nodes) => new(New(nodes), New(nodes), New(nodes));

        private static HashSet<string>[] New(int nodes) => Enumerable.Range(0, nodes).Select(_ => new HashSet<string>()).ToArray();
    }
}
