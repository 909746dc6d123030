using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using TakCan.Actors.Device;

namespace TakCan.Actors.Tests.Situation;

/// <summary>
/// A TestKit on a fresh SQLite journal (DevicePersistence, as the device runs it) in a temporary folder, with
/// virtual time: timers fire only when a test advances <see cref="Clock"/>. Shared by the chat and emergency tests.
/// </summary>
public abstract class SituationTestKit : TestKit
{
    private const string VirtualTime = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        """;

    private readonly List<ActorSystem> _others = new();

    protected SituationTestKit()
        : this(Path.Combine(Path.GetTempPath(), "takcan-situation-" + Guid.NewGuid().ToString("N")))
    {
    }

    private SituationTestKit(string folder)
        : base(ConfigFor(Path.Combine(folder, "takcan.db")))
    {
        Folder = folder;
        Database = Path.Combine(folder, "takcan.db");
    }

    protected string Folder { get; }

    protected string Database { get; }

    protected TestScheduler Clock => (TestScheduler)Sys.Scheduler;

    /// <summary>Patience for what happens at once (a persist, a reply); virtual time does not apply to it.</summary>
    protected static TimeSpan Soon { get; } = TimeSpan.FromSeconds(5);

    /// <summary>How long "nothing more arrives" is watched for, in real time.</summary>
    protected static TimeSpan Quiet { get; } = TimeSpan.FromMilliseconds(150);

    private static Config ConfigFor(string database) =>
        ConfigurationFactory.ParseString(VirtualTime).WithFallback(DevicePersistence.ForSqlite(database));

    /// <summary>A second actor system on the same journal file, as after a restart of the process.</summary>
    protected ActorSystem NewSystemOnSameDatabase()
    {
        var system = ActorSystem.Create("restarted" + _others.Count, ConfigFor(Database));
        _others.Add(system);
        return system;
    }

    protected TestProbe ProbeIn(ActorSystem system) => new(system, new XunitAssertions());

    protected static TestScheduler ClockOf(ActorSystem system) => (TestScheduler)system.Scheduler;

    protected void Terminate(ActorSystem system) => Assert.True(system.Terminate().Wait(Soon), "actor system did not stop");

    protected override void AfterAll()
    {
        foreach (var system in _others) system.Terminate().Wait(Soon);
        base.AfterAll();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A connection still closing; the temp folder is cleaned by the OS.
        }
    }
}
