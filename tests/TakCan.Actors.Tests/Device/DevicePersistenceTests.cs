using Akka.Actor;
using Akka.Persistence;
using TakCan.Actors.Device;
using Xunit.Abstractions;

namespace TakCan.Actors.Tests.Device;

public class DevicePersistenceTests(ITestOutputHelper output) : SqliteTestKit(output)
{
    [Fact]
    public void The_config_names_the_sql_plugins_for_journal_and_snapshots_on_the_file()
    {
        var config = PersistenceConfig;

        Assert.Equal(DevicePersistence.JournalPluginId, config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal(DevicePersistence.SnapshotPluginId, config.GetString("akka.persistence.snapshot-store.plugin"));
        Assert.StartsWith("Akka.Persistence.Sql.Journal.SqlWriteJournal", config.GetString("akka.persistence.journal.sql.class"));
        Assert.StartsWith("Akka.Persistence.Sql.Snapshot.SqlSnapshotStore", config.GetString("akka.persistence.snapshot-store.sql.class"));
        Assert.Equal("SQLite.MS", config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Contains(DatabaseFile, config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal(
            config.GetString("akka.persistence.journal.sql.connection-string"),
            config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }

    [Fact]
    public void A_path_with_quotes_and_backslashes_survives_the_hocon()
    {
        var file = Path.Combine(Path.GetTempPath(), "takcan-tests", Guid.NewGuid().ToString("N"), "we\"ird\\ name", "takcan.db");
        try
        {
            var config = DevicePersistence.ForSqlite(file);
            Assert.Equal(DevicePersistence.ConnectionString(file), config.GetString("akka.persistence.journal.sql.connection-string"));
            Assert.True(File.Exists(file));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(file))!, recursive: true);
        }
    }

    [Fact]
    public void The_file_is_in_write_ahead_log_mode()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(DevicePersistence.ConnectionString(DatabaseFile));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task Events_and_snapshots_survive_a_shutdown_and_a_new_system_on_the_file()
    {
        var first = StartSystem("first");
        var notes = first.ActorOf(Props.Create(() => new Notebook("notes")));
        foreach (var text in new[] { "a", "b" }) await notes.Ask<Noted>(new Note(text), Patience);
        await notes.Ask<SaveSnapshotSuccess>(Notebook.Snapshot.Instance, Patience);
        await notes.Ask<Noted>(new Note("c"), Patience);
        await first.Terminate();

        var notesAgain = Sys.ActorOf(Props.Create(() => new Notebook("notes")));
        notesAgain.Tell(Notebook.Read.Instance);
        var page = ExpectMsg<Page>(Patience);
        Assert.Equal(["a", "b", "c"], page.Texts);
        Assert.Equal(2, page.FromSnapshot);
    }

    [Fact]
    public async Task Events_acknowledged_by_persist_are_there_for_a_system_started_without_any_shutdown()
    {
        // The first system is never shut down: as if the process were killed right after the acknowledgements.
        var first = StartSystem("killed");
        try
        {
            var notes = first.ActorOf(Props.Create(() => new Notebook("notes")));
            foreach (var text in new[] { "x", "y", "z" }) await notes.Ask<Noted>(new Note(text), Patience);

            Assert.Equal(3, JournalRows("notes"));
            var notesAgain = Sys.ActorOf(Props.Create(() => new Notebook("notes")));
            notesAgain.Tell(Notebook.Read.Instance);
            Assert.Equal(["x", "y", "z"], ExpectMsg<Page>(Patience).Texts);
        }
        finally
        {
            await first.Terminate();
        }
    }

    public sealed record Note(string Text);

    public sealed record Noted(string Text);

    public sealed record Page(IReadOnlyList<string> Texts, long FromSnapshot);

    public sealed record NotebookSnapshot(string[] Texts);

    /// <summary>A persistent actor that acknowledges each note once it is persisted.</summary>
    private sealed class Notebook : ReceivePersistentActor
    {
        private readonly List<string> _texts = new();
        private IActorRef _snapshotRequester = ActorRefs.Nobody;
        private long _fromSnapshot;

        public Notebook(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<Noted>(noted => _texts.Add(noted.Text));
            Recover<SnapshotOffer>(offer =>
            {
                _texts.AddRange(((NotebookSnapshot)offer.Snapshot).Texts);
                _fromSnapshot = offer.Metadata.SequenceNr;
            });
            Command<Note>(note => Persist(new Noted(note.Text), noted =>
            {
                _texts.Add(noted.Text);
                Sender.Tell(noted);
            }));
            Command<Snapshot>(_ =>
            {
                _snapshotRequester = Sender;
                SaveSnapshot(new NotebookSnapshot(_texts.ToArray()));
            });
            Command<SaveSnapshotSuccess>(saved => _snapshotRequester.Tell(saved));
            Command<Read>(_ => Sender.Tell(new Page(_texts.ToList(), _fromSnapshot)));
        }

        public override string PersistenceId { get; }

        public sealed record Snapshot
        {
            public static Snapshot Instance { get; } = new();
        }

        public sealed record Read
        {
            public static Read Instance { get; } = new();
        }
    }
}
