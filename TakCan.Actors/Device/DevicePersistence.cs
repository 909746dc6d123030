using System.Text.Json;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace TakCan.Actors.Device;

/// <summary>
/// The device's journal and snapshot store: Akka.Persistence.Sql on one embedded SQLite file (specs/device.md,
/// "Persistence"). The read journal (Akka.Persistence.Query) points at the same file.
/// </summary>
public static class DevicePersistence
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";
    public const string ReadJournalPluginId = "akka.persistence.query.journal.sql";

    /// <summary>Device events and snapshots stored under stable manifests (<see cref="JournalSerializer"/>), whichever
    /// journal holds them.</summary>
    public static Config Serialization { get; } = ConfigurationFactory.ParseString(JournalSerializer.Hocon);

    /// <summary>linq2db's name for Microsoft.Data.Sqlite.</summary>
    public const string ProviderName = "SQLite.MS";

    /// <summary>
    /// The HOCON for journal, snapshot store and read journal on <paramref name="databaseFile"/>, made the defaults.
    /// Creates the file's directory, and the file in WAL mode (see <see cref="UseWriteAheadLog"/>).
    /// </summary>
    public static Config ForSqlite(string databaseFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseFile);
        var path = Path.GetFullPath(databaseFile);
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        UseWriteAheadLog(path);

        var connection = Quote(ConnectionString(path));
        var provider = Quote(ProviderName);
        var hocon = $$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  table-mapping = default
                  auto-initialize = on
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  connection-string = {{connection}}
                  provider-name = {{provider}}
                  table-mapping = default
                  auto-initialize = on
                }
              }
              query.journal.sql {
                connection-string = {{connection}}
                provider-name = {{provider}}
                table-mapping = default
              }
            }
            """;
        // Without the plugin's own defaults the journal has no `class` and Akka cannot start it (../shared/STACK.md).
        return ConfigurationFactory.ParseString(hocon).WithFallback(Serialization).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>The Microsoft.Data.Sqlite connection string the plugins use for <paramref name="databaseFile"/>.</summary>
    public static string ConnectionString(string databaseFile) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databaseFile), Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    /// <summary>
    /// Switches the file to write-ahead logging. WAL is a property of the file, so it holds for every later
    /// connection the plugins open. Journal, snapshot store and read journal use the file at the same time:
    /// in WAL readers do not block the writer, and a commit is one append to the log, which survives a killed
    /// process (the default synchronous=FULL also syncs it, for power loss).
    /// </summary>
    public static void UseWriteAheadLog(string databaseFile)
    {
        using var connection = new SqliteConnection(ConnectionString(databaseFile));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    // A JSON string literal is a valid HOCON quoted string: paths with quotes or backslashes stay intact.
    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
