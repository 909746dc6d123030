using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Microsoft.Data.Sqlite;
using TakCan.Actors.Device;
using Xunit.Abstractions;

namespace TakCan.Actors.Tests.Device;

/// <summary>
/// A TestKit whose system journals to its own SQLite file in a temporary directory, with a way to start further
/// systems on the same file (a restart of the device).
/// </summary>
public abstract class SqliteTestKit : TestKit
{
    private readonly string _directory;

    protected SqliteTestKit(ITestOutputHelper output)
        : this(Path.Combine(Path.GetTempPath(), "takcan-tests", Guid.NewGuid().ToString("N")), output)
    {
    }

    private SqliteTestKit(string directory, ITestOutputHelper output)
        : base(DevicePersistence.ForSqlite(Path.Combine(directory, "takcan.db")), output: output)
    {
        _directory = directory;
    }

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected string DatabaseFile => Path.Combine(_directory, "takcan.db");

    protected Config PersistenceConfig => DevicePersistence.ForSqlite(DatabaseFile);

    /// <summary>Another device process on the same database file.</summary>
    protected ActorSystem StartSystem(string name) => ActorSystem.Create(name, PersistenceConfig);

    /// <summary>Runs a query on a fresh connection, as a separate process would see the file.</summary>
    protected long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>The events a recovery would replay.</summary>
    protected long JournalRows(string persistenceId) =>
        Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = '{persistenceId}' AND deleted = 0");

    /// <summary>
    /// Every row, deleted or not: Akka.Persistence.Sql keeps the newest deleted event's row (marked deleted) so
    /// that the sequence number does not start over.
    /// </summary>
    protected long AllJournalRows(string persistenceId) =>
        Scalar($"SELECT COUNT(*) FROM journal WHERE persistence_id = '{persistenceId}'");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A connection the plugins still hold; the temp directory is cleaned by the OS eventually.
        }
    }
}
