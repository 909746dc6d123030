using System.Collections;
using System.Diagnostics;
using System.Numerics;
using Akka.Actor;
using Akka.Configuration;
using TakCan.Actors.Device;
using TakCan.Actors.Mesh;
using TakCan.Actors.Mesh.Transports;
using TakCan.Actors.Situation.Chat;
using TakCan.Host.Console.Sim.Radio;
using TakCan.Host.Console.Sim.Report;
using TakCan.Host.Console.Sim.Scenarios;
using TakCan.Host.Console.Sim.Time;
using TakCan.Protocols.Gps;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Keys;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Host.Console.Sim;

/// <summary>
/// Runs a scenario (specs/sim-report.md): a real device actor tree per simulated node — mesh, relay, situation,
/// self reporter — in one actor system, over a <see cref="RadioMedium"/>, on virtual time unless asked otherwise;
/// then builds the report. Nothing of the mesh is re-implemented here: the simulator only places nodes, moves them,
/// crashes them, and watches.
/// </summary>
public sealed class SimRunner
{
    private readonly SimOptions _options;
    private readonly Scenario _scenario;
    private readonly int _seed;
    private readonly Random _random;
    private SimDriver _driver = null!;
    private RadioMedium _medium = null!;
    private ScenarioLayout _layout = null!;
    private SimLedger _ledger = null!;
    private SimNode[] _nodes = [];
    private MotionModel _motion = null!;
    private readonly Dictionary<int, (long Version, BitArray Reachable)> _reachable = new();

    // One lock over the simulated world: uncontended in virtual time (one thread), needed in real time.
    private readonly object _gate = new();

    private SimRunner(SimOptions options)
    {
        _options = options;
        _scenario = options.Scenario;
        _seed = options.EffectiveSeed;
        _random = new Random(_seed);
    }

    public static SimReport Run(SimOptions options) => new SimRunner(options).Run();

    private RadioProfile Profile()
    {
        var spec = _scenario.Radio;
        var profile = RadioProfile.Named(spec.Profile);
        return profile with
        {
            RangeM = spec.RangeM ?? profile.RangeM,
            Mtu = spec.Mtu ?? profile.Mtu,
            BitrateBps = spec.BitrateBps ?? profile.BitrateBps,
            LatencyMs = spec.LatencyMs ?? profile.LatencyMs,
            Loss = spec.Loss ?? profile.Loss,
            Medium = spec.Medium switch
            {
                null or "broadcast" => MeshMedium.Broadcast,
                "point-to-point" => MeshMedium.PointToPoint,
                _ => throw new ScenarioException($"unknown radio.medium '{spec.Medium}' (broadcast, point-to-point)"),
            },
        };
    }

    private SimReport Run()
    {
        var profile = Profile();
        _layout = ScenarioLayout.Place(_scenario, profile.RangeM, new Random(_seed));
        _motion = new MotionModel(_scenario, _layout.Positions, new Random(_seed + 1));
        var sqlite = _scenario.Persistence == "sqlite" || _scenario.SqliteNodes > 0;
        string? dataDirectory = null;
        if (sqlite)
        {
            dataDirectory = _options.DataDirectory ?? Path.Combine(Path.GetTempPath(), $"takcan-sim-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dataDirectory);
        }

        var wall = Stopwatch.StartNew();
        // Journals on disk finish their writes on other threads: pace virtual time so they keep up.
        _driver = SimDriver.Start("takcan-sim", SystemConfig(dataDirectory), !_options.RealTime, sqlite ? 50 : null);
        try
        {
            _medium = new RadioMedium(profile, _driver.System.Scheduler, _seed + 2, _layout.Positions, _gate);
            var warmup = TimeSpan.FromSeconds(_scenario.Traffic.WarmupS);
            var window = TimeSpan.FromSeconds(2 * _scenario.Traffic.SaIntervalS);
            var countUntil = _scenario.Duration - (window < _scenario.Duration - warmup ? window : TimeSpan.Zero);
            _ledger = new SimLedger(_layout.Teams, () => _driver.Now, Reachable, warmup, countUntil, _gate) { SaWindow = window };
            StartNodes();
            var initialEdges = Edges();
            ScheduleMotion();
            ScheduleChurn();
            ScheduleChat();
            RunWithProgress();
            SimReport report;
            lock (_gate) report = BuildReport(profile, wall.Elapsed, initialEdges);
            _options.Inspect?.Invoke(new SimInspector(_driver, _nodes));
            _driver.Shutdown();
            return report;
        }
        catch
        {
            _driver.Shutdown();
            throw;
        }
        finally
        {
            if (dataDirectory is not null && _options.DataDirectory is null)
            {
                try
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                    // A temporary journal; the OS cleans its temp directory.
                }
            }
        }
    }

    private Config SystemConfig(string? dataDirectory)
    {
        var quiet = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            akka.log-dead-letters-during-shutdown = off
            akka.actor.debug.unhandled = off
            """);
        var memory = ConfigurationFactory.ParseString("""
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            """);
        memory = memory.WithFallback(DevicePersistence.Serialization);
        if (dataDirectory is null) return quiet.WithFallback(memory);
        var sqlite = DevicePersistence.ForSqlite(Path.Combine(dataDirectory, "sim.db"));
        // All on SQLite, or memory by default and SQLite by name for the first sqlite_nodes devices (OnSqlite).
        return _scenario.Persistence == "sqlite" ? quiet.WithFallback(sqlite) : quiet.WithFallback(memory).WithFallback(sqlite);
    }

    private void StartNodes()
    {
        var now = VirtualScheduler.Epoch.UtcDateTime;
        var key = MissionKey.Generate($"sim {_scenario.Name}", _layout.Teams[0], _scenario.Mesh.MaxHops, now.AddYears(1));
        var ring = MeshKeyRing.From(key, now);
        var ids = new Random(_seed + 3);
        _nodes = new SimNode[_layout.Count];
        for (var i = 0; i < _layout.Count; i++)
        {
            var name = _layout.Names[i];
            var team = MissionKey.NormalizeTeam(_layout.Teams[i]);
            var (lat, lon) = SimGeo.ToLatLon(_layout.Positions[i]);
            var node = new SimNode(i, name, new DeviceIdentity($"TAKCAN-SIM-{name}", name.ToUpperInvariant(), team, "Team Member"),
                new MeshSettings(ring, new NodeId((ulong)ids.NextInt64(), (ulong)ids.NextInt64()), team)
                {
                    MaxHops = _scenario.Mesh.MaxHops,
                    TeamFilter = _scenario.Mesh.TeamFilter,
                    Relay = _options.NaiveRelay
                        ? new RelaySettings { Naive = true }
                        : RelaySettings.Default with
                        {
                            Random = new Random(_seed * 7919 + i),
                            SuppressAfterDuplicates = _scenario.Mesh.SuppressAfter ?? RelaySettings.Default.SuppressAfterDuplicates,
                            OriginRingSuppressAfterDuplicates = _scenario.Mesh.OriginRingSuppressAfter ?? RelaySettings.Default.OriginRingSuppressAfterDuplicates,
                        },
                },
                new SimLocation(new LocationFix(_driver.System.Scheduler.Now.UtcDateTime, lat, lon, 0)),
                new MeshCounters());
            _nodes[i] = node;
        }

        var spread = _scenario.Traffic.StartSpreadS;
        var starts = new Random(_seed + 6);
        foreach (var node in _nodes)
        {
            if (spread <= 0) Locked(() => Start(node));
            else _driver.System.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromSeconds(starts.NextDouble() * spread), () => Locked(() => Start(node)));
        }

        _driver.RunUntil(TimeSpan.Zero);
    }

    private void Locked(Action action)
    {
        lock (_gate) action();
    }

    private void Start(SimNode node)
    {
        var configuration = DeviceConfiguration.Default with
        {
            SelfStationaryInterval = TimeSpan.FromSeconds(_scenario.Traffic.SaIntervalS),
            Clock = new VirtualTimeProvider(_driver.System.Scheduler),
            Plugins = OnSqlite(node) ? new PersistencePlugins(DevicePersistence.JournalPluginId, DevicePersistence.SnapshotPluginId) : PersistencePlugins.Default,
        };
        var children = DeviceChildren.Standard(node.Identity, node.Location, $"{node.Name}/", configuration);
        children = children with
        {
            Situation = [.. _scenario.Device == "light" ? [] : children.Situation, new SituationChild("sim-observer", _ => SimObserver.Props(_ledger, node.Index), Persistent: false)],
            Outlets = [.. children.Outlets, new DeviceOutlet("sim-outlet", _ => SimObserver.Props(_ledger, node.Index), evt => new SimObserver.Sending(evt))],
        };
        var settings = new DeviceSettings(node.Identity, node.Mesh, "") { MeshCounters = node.Counters };
        var transport = _medium.Attach(node.Index);
        node.Device = _driver.System.ActorOf(DeviceRoot.Props(settings, [transport], children), $"{node.Name}-{node.Restarts}");
        node.Up = true;
    }

    private bool OnSqlite(SimNode node) => _scenario.Persistence != "sqlite" && node.Index < _scenario.SqliteNodes;

    private void Crash(SimNode node)
    {
        if (!node.Up) return;
        node.Up = false;
        _medium.Detach(node.Index);
        _driver.System.Stop(node.Device);
    }

    private void Restart(SimNode node)
    {
        if (node.Up) return;
        node.Restarts++;
        Start(node);
    }

    /// <summary>Who can receive what <paramref name="origin"/> sends now: breadth-first over the radio graph, through
    /// nodes that can relay it (same team with the filter on), at most max hops away.</summary>
    private BitArray Reachable(int origin)
    {
        if (_reachable.TryGetValue(origin, out var cached) && cached.Version == _medium.Version) return cached.Reachable;
        var reached = new BitArray(_layout.Count);
        var depth = new int[_layout.Count];
        var seen = new bool[_layout.Count];
        var queue = new Queue<int>();
        queue.Enqueue(origin);
        seen[origin] = true;
        while (queue.TryDequeue(out var node))
        {
            if (depth[node] == _scenario.Mesh.MaxHops) continue;
            foreach (var next in _medium.NeighboursOf(node))
            {
                if (seen[next] || !SameMesh(origin, next)) continue;
                seen[next] = true;
                reached[next] = true;
                depth[next] = depth[node] + 1;
                queue.Enqueue(next);
            }
        }

        _reachable[origin] = (_medium.Version, reached);
        return reached;
    }

    private bool SameMesh(int a, int b) =>
        !_scenario.Mesh.TeamFilter || string.Equals(_layout.Teams[a], _layout.Teams[b], StringComparison.OrdinalIgnoreCase);

    private void ScheduleMotion()
    {
        if (!_motion.Moves) return;
        var scheduler = _driver.System.Scheduler;
        scheduler.Advanced.ScheduleRepeatedly(_motion.Tick, _motion.Tick, () => Locked(() =>
        {
            var positions = _motion.Step(_driver.Now);
            _medium.Move(positions);
            var time = scheduler.Now.UtcDateTime;
            for (var i = 0; i < _nodes.Length; i++)
            {
                var (lat, lon) = SimGeo.ToLatLon(positions[i]);
                _nodes[i].Location.Update(new LocationFix(time, lat, lon, 0));
            }
        }));
    }

    private void ScheduleChurn()
    {
        if (_scenario.Churn is not { } churn) return;
        var scheduler = _driver.System.Scheduler;
        var random = new Random(_seed + 4);
        var every = TimeSpan.FromSeconds(churn.EveryS);
        var down = TimeSpan.FromSeconds(churn.DownS);
        scheduler.Advanced.ScheduleRepeatedly(every, every, () => Locked(() =>
        {
            var up = _nodes.Where(n => n.Up).ToArray();
            var count = Math.Max(1, (int)Math.Round(_nodes.Length * churn.Fraction));
            foreach (var node in up.OrderBy(_ => random.Next()).Take(count))
            {
                Crash(node);
                scheduler.Advanced.ScheduleOnce(down, () => Locked(() => Restart(node)));
            }
        }));
    }

    private void ScheduleChat()
    {
        if (_scenario.Traffic.ChatEveryS <= 0) return;
        var scheduler = _driver.System.Scheduler;
        var random = new Random(_seed + 5);
        var every = TimeSpan.FromSeconds(_scenario.Traffic.ChatEveryS);
        var sequence = 0;
        scheduler.Advanced.ScheduleRepeatedly(every, every, () => Locked(() =>
        {
            var up = _nodes.Where(n => n.Up).ToArray();
            if (up.Length == 0) return;
            var node = up[random.Next(up.Length)];
            _driver.System.ActorSelection(node.Device.Path / "situation" / "chat")
                .Tell(new ChatProtocol.SendChat("All Chat Rooms", $"sim message {++sequence} from {node.Name}"));
        }));
    }

    private void RunWithProgress()
    {
        var duration = _scenario.Duration;
        var step = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, duration.Ticks / 10));
        for (var at = step; ; at += step)
        {
            if (at > duration) at = duration;
            _driver.RunUntil(at);
            _options.Progress?.Invoke(
                $"  {at.TotalSeconds,7:0} / {duration.TotalSeconds:0} s simulated, {_driver.Wall.TotalSeconds:0.0} s wall, " +
                $"{_ledger.Deliveries} deliveries, {_medium.Counters.Frames} frames");
            if (at >= duration) break;
        }
    }

    /// <summary>Radio neighbours at the starting positions, whether or not the devices are on yet.</summary>
    private IReadOnlyList<int[]> Edges()
    {
        var neighbours = SpatialIndex.Neighbours(_layout.Positions, Enumerable.Repeat(true, _layout.Count).ToArray(), _medium.Profile.RangeM);
        var edges = new List<int[]>();
        for (var i = 0; i < _layout.Count; i++)
            foreach (var j in neighbours[i])
                if (i < j) edges.Add([i, j]);
        return edges;
    }

    private SimReport BuildReport(RadioProfile profile, TimeSpan wall, IReadOnlyList<int[]> edges)
    {
        var counters = _nodes.Select(n => n.Counters.Snapshot()).ToArray();
        long Drop(params MeshDropReason[] reasons) => counters.Sum(c => reasons.Sum(r => c.Drops[r]));
        var meshMessages = counters.Sum(c => c.Originated);
        var drops = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["auth"] = Drop(MeshDropReason.Auth),
            ["replay"] = Drop(MeshDropReason.Replay),
            ["ttl"] = Drop(MeshDropReason.Ttl),
            ["dedupe"] = Drop(MeshDropReason.Dedupe),
            ["team"] = Drop(MeshDropReason.Team),
            ["reassembly"] = Drop(MeshDropReason.ReassemblyTimeout, MeshDropReason.ReassemblyEvicted, MeshDropReason.ReassemblyTooLarge, MeshDropReason.FragmentInvalid),
            ["handshake"] = Drop(MeshDropReason.HandshakeAuth, MeshDropReason.HandshakeTimeout),
            ["envelope"] = Drop(MeshDropReason.EnvelopeInvalid),
            ["link_timeout"] = Drop(MeshDropReason.LinkTimeout),
            ["radio_loss"] = _medium.Counters.FramesLost,
            ["radio_backlog"] = _medium.Counters.FramesBacklogged,
        };
        var delivery = _ledger.ExpectedDeliveries == 0 ? (double?)null : (double)_ledger.Deliveries / _ledger.ExpectedDeliveries;
        var perMessage = meshMessages == 0 ? (double?)null : (double)_medium.Counters.MessageTransmissions / meshMessages / _nodes.Length;
        var fresh = _ledger.FreshRatio(TimeSpan.FromSeconds(2 * _scenario.Traffic.SaIntervalS));
        var onTime = _ledger.SaOnTimeRatio();
        var duration = _scenario.Duration.TotalSeconds;
        var speedup = duration / Math.Max(wall.TotalSeconds, 1e-3);
        var checks = new List<CheckReport>();
        if (_scenario.Expect is { } expect)
        {
            if (expect.DeliveryRatioMin is { } d) checks.Add(new CheckReport("delivery_ratio >=", delivery >= d, delivery, d));
            if (expect.TransmissionsPerMessageMax is { } t) checks.Add(new CheckReport("transmissions_per_message <=", perMessage <= t, perMessage, t));
            if (expect.SaFreshRatioMin is { } f) checks.Add(new CheckReport("sa_fresh_ratio >=", fresh >= f, fresh, f));
            if (expect.SaWithinTwoIntervalsMin is { } w) checks.Add(new CheckReport("sa_within_two_intervals >=", onTime >= w, onTime, w));
            if (expect.LeaksMax is { } l) checks.Add(new CheckReport("leaks <=", _ledger.Leaks <= l, _ledger.Leaks, l));
            if (expect.SpeedupMin is { } s && !_options.RealTime) checks.Add(new CheckReport("speedup >=", speedup >= s, speedup, s));
        }

        return new SimReport
        {
            Scenario = _scenario.Name,
            Seed = _seed,
            Relay = _options.NaiveRelay ? "naive" : "default",
            Time = _options.RealTime ? "real" : "virtual",
            Nodes = _nodes.Length,
            Teams = _layout.Teams.Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            Radio = profile.Name,
            Medium = profile.Medium == MeshMedium.Broadcast ? "broadcast" : "point-to-point",
            MaxHops = _scenario.Mesh.MaxHops,
            DurationS = duration,
            WallS = Math.Round(wall.TotalSeconds, 3),
            Speedup = Math.Round(speedup, 1),
            MessagesOriginated = _ledger.Counted,
            MessagesByKind = _ledger.CountedByKind(),
            MeshMessagesOriginated = meshMessages,
            ExpectedDeliveries = _ledger.ExpectedDeliveries,
            Deliveries = _ledger.Deliveries,
            DeliveryRatio = Round(delivery),
            SaFreshRatio = Round(fresh),
            SaWithinTwoIntervals = Round(onTime),
            TransmissionsPerMessage = Round(perMessage),
            Transmissions = _medium.Counters.MessageTransmissions,
            Frames = _medium.Counters.Frames,
            BytesOnAir = _medium.Counters.BytesOnAir,
            DuplicatesReceived = Drop(MeshDropReason.Dedupe),
            LatencyMs = new LatencyReport(_ledger.Latency.Percentile(0.5), _ledger.Latency.Percentile(0.95), _ledger.Latency.Percentile(0.99),
                _ledger.Latency.Count,
                _ledger.LatencyByHops.ToDictionary(h => h.Key.ToString(), h =>
                    new HopLatency(h.Value.Percentile(0.5), h.Value.Percentile(0.95), h.Value.Percentile(0.99), h.Value.Count))),
            Leaks = _ledger.Leaks,
            Drops = drops,
            PeakMemoryMb = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            ForeignWork = _driver.ForeignWork,
            PerNode = _nodes.Select(n => new NodeReport(n.Name, _layout.Teams[n.Index], Math.Round(_layout.Positions[n.Index].X, 1),
                Math.Round(_layout.Positions[n.Index].Y, 1), _ledger.SentBy[n.Index], _ledger.ExpectedBy[n.Index], _ledger.ReceivedBy[n.Index],
                edges.Count(e => e[0] == n.Index || e[1] == n.Index), n.Restarts)).ToArray(),
            Edges = edges,
            Checks = checks,
        };
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
