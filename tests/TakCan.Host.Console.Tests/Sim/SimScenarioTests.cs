using TakCan.Host.Console.Sim;
using TakCan.Host.Console.Sim.Report;
using TakCan.Host.Console.Sim.Scenarios;
using Xunit;

namespace TakCan.Host.Console.Tests.Sim;

/// <summary>
/// Small scenarios run whole: the real device tree and mesh on the simulated radio, in virtual time. The big
/// scenarios run from the command line (specs/sim-report.md).
/// </summary>
public sealed class SimScenarioTests
{
    private static string ScenarioFile(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "scenarios", name + ".json");
            if (File.Exists(path)) return path;
        }

        throw new FileNotFoundException($"scenarios/{name}.json not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Line_3_delivers_everything_and_C_sees_A_one_hop_away()
    {
        IReadOnlyList<TakCan.Actors.Situation.Contacts.ContactsProtocol.Contact>? contactsOfC = null;
        var report = SimRunner.Run(new SimOptions(Scenario.Load(ScenarioFile("line-3"))) { Inspect = inside => contactsOfC = inside.ContactsOf("C") });

        Assert.True(report.ExpectedDeliveries > 0);
        Assert.Equal(1.0, report.DeliveryRatio);
        Assert.Equal(0, report.Leaks);
        Assert.True(report.Passed);
        // Self SA from every node and the scenario's GeoChat traffic, both delivered.
        Assert.True(report.MessagesByKind["sa"] > 0 && report.MessagesByKind["chat"] > 0, string.Join(", ", report.MessagesByKind));
        // A and C are out of range of each other: A's events reach C through B only.
        Assert.Contains("1", report.LatencyMs.ByHops.Keys);
        var a = Assert.Single(contactsOfC!, c => c.Callsign == "A");
        Assert.Equal(1, a.Hops);
        var b = Assert.Single(contactsOfC!, c => c.Callsign == "B");
        Assert.Equal(0, b.Hops);
    }

    [Fact]
    public void A_ring_delivers_everything_and_a_seed_gives_the_same_report_every_run()
    {
        var scenario = Scenario.Load(ScenarioFile("ring-8")) with { DurationS = 60 };

        var first = SimRunner.Run(new SimOptions(scenario));
        var second = SimRunner.Run(new SimOptions(scenario));

        Assert.Equal(1.0, first.DeliveryRatio);
        Assert.Equal(Comparable(first), Comparable(second));
    }

    [Fact]
    public void Teams_on_one_radio_never_see_each_other()
    {
        var scenario = Scenario.Parse("""
            {
              "name": "teams-small", "duration_s": 60, "seed": 4,
              "radio": { "profile": "ble", "range_m": 45 },
              "mesh": { "max_hops": 5, "team_filter": true },
              "traffic": { "sa_interval_s": 10 },
              "nodes": { "layout": "grid", "count": 12, "spacing_m": 20, "teams": ["Cyan", "Red"] }
            }
            """);

        var report = SimRunner.Run(new SimOptions(scenario));

        Assert.Equal(0, report.Leaks);
        Assert.True(report.Deliveries > 0);
        Assert.Equal(1.0, report.DeliveryRatio);
        // The other team's frames are heard on the air and refused by the group key, not delivered.
        Assert.True(report.Drops["auth"] > 0);
    }

    [Fact]
    public void Naive_flooding_transmits_once_per_node_and_message_and_suppression_less_on_a_dense_cluster()
    {
        var scenario = Scenario.Parse("""
            {
              "name": "cluster", "duration_s": 40, "seed": 8,
              "radio": { "profile": "wifi", "range_m": 100 },
              "mesh": { "max_hops": 3 },
              "traffic": { "sa_interval_s": 10 },
              "nodes": { "layout": "random", "count": 20, "area_m": [80, 80] }
            }
            """);

        var naive = SimRunner.Run(new SimOptions(scenario) { NaiveRelay = true });
        var standard = SimRunner.Run(new SimOptions(scenario));

        Assert.InRange(naive.TransmissionsPerMessage!.Value, 0.95, 1.0);
        Assert.True(standard.TransmissionsPerMessage < naive.TransmissionsPerMessage / 2,
            $"default {standard.TransmissionsPerMessage} vs naive {naive.TransmissionsPerMessage}");
        Assert.Equal(1.0, standard.DeliveryRatio);
        Assert.True(standard.DuplicatesReceived < naive.DuplicatesReceived);
    }

    [Fact]
    public void On_point_to_point_links_the_line_delivers_over_handshaken_links_that_open_as_nodes_come_into_range()
    {
        // C starts out of everyone's range and walks to 30 m from B: its link to B opens only then.
        var scenario = Scenario.Parse("""
            {
              "name": "line-p2p", "duration_s": 90, "seed": 6,
              "radio": { "profile": "ble", "range_m": 35, "medium": "point-to-point" },
              "traffic": { "sa_interval_s": 10 },
              "nodes": { "layout": "explicit", "positions": [ { "name": "A", "x": 0, "y": 0 }, { "name": "B", "x": 30, "y": 0 }, { "name": "C", "x": 200, "y": 0 } ] },
              "motion": { "kind": "groups", "groups": [ { "first": 2, "last": 2, "waypoints": [[10, 0, 0], [20, -140, 0]] } ] }
            }
            """);
        IReadOnlyList<TakCan.Actors.Situation.Contacts.ContactsProtocol.Contact>? contactsOfC = null;

        var report = SimRunner.Run(new SimOptions(scenario) { Inspect = inside => contactsOfC = inside.ContactsOf("C") });

        Assert.Equal("point-to-point", report.Medium);
        // Only what was sent in the moment between C coming into range and its handshake with B can miss C.
        Assert.True(report.DeliveryRatio >= 0.9, $"delivery {report.DeliveryRatio}");
        Assert.Equal(0, report.Drops["handshake"]);
        Assert.Equal(1, Assert.Single(contactsOfC!, c => c.Callsign == "A").Hops);
    }

    [Fact]
    public void In_real_time_the_same_devices_run_on_thread_pools_and_the_wall_clock()
    {
        var scenario = Scenario.Parse("""
            {
              "name": "walkers-real", "duration_s": 4, "seed": 1,
              "radio": { "profile": "ble", "range_m": 45 },
              "traffic": { "sa_interval_s": 0.5, "warmup_s": 1 },
              "nodes": { "layout": "random", "count": 20, "area_m": [60, 60] },
              "motion": { "kind": "random-walk", "speed_mps": 1.4 }
            }
            """);

        var report = SimRunner.Run(new SimOptions(scenario) { RealTime = true });

        Assert.Equal("real", report.Time);
        Assert.True(report.WallS >= 4, $"wall {report.WallS} s");
        Assert.True(report.ExpectedDeliveries > 0);
        // Twenty devices starting their timers at once on thread pools: all of them report, and are heard.
        Assert.Equal(20, report.PerNode.Count(n => n.Sent > 0));
        Assert.True(report.DeliveryRatio >= 0.95, $"delivery {report.DeliveryRatio}");
    }

    [Fact]
    public void A_few_devices_can_journal_into_sqlite_while_the_rest_stay_in_memory()
    {
        var data = Directory.CreateTempSubdirectory("takcan-sim-test-");
        try
        {
            var scenario = Scenario.Parse("""
                {
                  "name": "line-sqlite", "duration_s": 30, "seed": 1, "sqlite_nodes": 1,
                  "radio": { "profile": "ble", "range_m": 35 },
                  "traffic": { "sa_interval_s": 5 },
                  "nodes": { "layout": "explicit", "positions": [ { "name": "A", "x": 0, "y": 0 }, { "name": "B", "x": 30, "y": 0 }, { "name": "C", "x": 60, "y": 0 } ] }
                }
                """);

            var report = SimRunner.Run(new SimOptions(scenario) { DataDirectory = data.FullName });

            Assert.Equal(1.0, report.DeliveryRatio);
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data.FullName, "sim.db")};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT persistence_id FROM journal ORDER BY 1";
            var ids = new List<string>();
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    ids.Add(reader.GetString(0));
            Assert.Contains("A/contacts", ids);
            Assert.All(ids, id => Assert.StartsWith("A/", id));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public void Every_shipped_scenario_is_valid_and_places_its_nodes()
    {
        var directory = Path.GetDirectoryName(ScenarioFile("line-3"))!;
        var files = Directory.GetFiles(directory, "*.json");

        Assert.True(files.Length >= 10, string.Join(", ", files));
        foreach (var file in files)
        {
            var scenario = Scenario.Load(file);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), scenario.Name);
            var layout = ScenarioLayout.Place(scenario, scenario.Radio.RangeM ?? 40, new Random(scenario.Seed));
            Assert.Equal(scenario.Nodes.Positions.Count > 0 ? scenario.Nodes.Positions.Count : scenario.Nodes.Count, layout.Count);
        }
    }

    [Fact]
    public void A_bad_scenario_says_what_is_wrong()
    {
        var error = Assert.Throws<ScenarioException>(() => Scenario.Parse("""{ "name": "x", "mesh": { "max_hops": 9 }, "nodes": { "count": 3 } }"""));
        Assert.Contains("max_hops", error.Message);
        Assert.Throws<ScenarioException>(() => Scenario.Parse("""{ "name": "x", "nodes": { "count": 3 }, "typo": 1 }"""));
        Assert.Contains("waypoints", Assert.Throws<ScenarioException>(() => Scenario.Parse(
            """{ "name": "x", "nodes": { "count": 3 }, "motion": { "kind": "groups", "groups": [ { "first": 0, "last": 1, "waypoints": [[0, 1]] } ] } }""")).Message);
        Assert.Contains("unique", Assert.Throws<ScenarioException>(() => Scenario.Parse(
            """{ "name": "x", "nodes": { "layout": "explicit", "positions": [ { "name": "A", "x": 0, "y": 0 }, { "name": "A", "x": 1, "y": 0 } ] } }""")).Message);
        Assert.Throws<ScenarioException>(() => Scenario.Parse("""{ "name": "x", "nodes": { "count": 3 }, "motion": { "tick_s": 0 } }"""));
        Assert.Throws<ScenarioException>(() => Scenario.Parse("not json"));
    }

    private static string Comparable(SimReport report) =>
        (report with { WallS = 0, Speedup = 0, PeakMemoryMb = 0, ForeignWork = 0 }).ToJson();
}
