using TakCan.Actors.Platform;

namespace TakCan.Actors.Tests.Platform;

public sealed class FileKeyStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "takcan-keystore-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Saves_and_loads_a_secret()
    {
        var store = new FileKeyStore(Path.Combine(_root, "keys"));
        await store.SaveAsync("alpha.key", new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, await store.LoadAsync("alpha.key"));
        Assert.Null(await store.LoadAsync("bravo.key"));
    }

    [Fact]
    public async Task File_is_0600_and_a_new_directory_0700()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes only
        var store = new FileKeyStore(Path.Combine(_root, "a", "keys"));
        await store.SaveAsync("alpha.key", new byte[] { 42 });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("alpha.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Directory));
    }

    [Fact]
    public async Task An_existing_directory_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes only
        var dir = Directory.CreateDirectory(Path.Combine(_root, "shared"));
        const UnixFileMode open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                  UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(dir.FullName, open);
        var store = new FileKeyStore(dir.FullName);
        await store.SaveAsync("alpha.key", new byte[] { 42 });
        Assert.Equal(open, File.GetUnixFileMode(dir.FullName));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("alpha.key")));
    }

    [Fact]
    public async Task Replacing_is_atomic_and_leaves_no_temporary_files()
    {
        var store = new FileKeyStore(_root);
        var old = Enumerable.Repeat((byte)'o', 10_000).ToArray();
        var next = Enumerable.Repeat((byte)'n', 20).ToArray();
        await store.SaveAsync("alpha.key", old);

        // A reader that opened the old file keeps reading all of it: the new file was renamed over, not written into.
        await using var reader = new FileStream(store.PathOf("alpha.key"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await store.SaveAsync("alpha.key", next);
        var seen = new byte[old.Length];
        await reader.ReadExactlyAsync(seen);
        Assert.Equal(old, seen);

        Assert.Equal(next, await store.LoadAsync("alpha.key"));
        Assert.Equal(["alpha.key"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_cancelled_save_keeps_the_old_secret()
    {
        var store = new FileKeyStore(_root);
        await store.SaveAsync("alpha.key", new byte[] { 1 });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("alpha.key", new byte[] { 2 }, new CancellationToken(canceled: true)));
        Assert.Equal(new byte[] { 1 }, await store.LoadAsync("alpha.key"));
        Assert.Equal(["alpha.key"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Delete_reports_whether_there_was_a_secret()
    {
        var store = new FileKeyStore(_root);
        await store.SaveAsync("alpha.key", new byte[] { 1 });
        Assert.True(await store.DeleteAsync("alpha.key"));
        Assert.False(await store.DeleteAsync("alpha.key"));
        Assert.Null(await store.LoadAsync("alpha.key"));
    }

    [Theory]
    [InlineData("../escape.key")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b.key")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b.key")]
    [InlineData("")]
    [InlineData("a\0b")]
    public async Task Names_that_could_leave_the_directory_are_refused(string name)
    {
        var store = new FileKeyStore(Path.Combine(_root, "keys"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveAsync(name, new byte[] { 1 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.LoadAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(name));
        Assert.False(File.Exists(Path.Combine(_root, "escape.key")));
    }
}
