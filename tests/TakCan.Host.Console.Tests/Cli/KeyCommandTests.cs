using System.Buffers.Binary;
using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using TakCan.Host.Console.Keys;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Host.Console.Tests.Cli;

/// <summary>Runs the real <c>takcan</c> (the referenced host's takcan.dll, copied next to this assembly) as a child process.</summary>
public sealed class KeyCommandTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _dir = Directory.CreateTempSubdirectory("takcan-key-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task New_with_qr_writes_a_0600_key_file_and_a_png_that_imports_back()
    {
        var keyPath = Path.Combine(_dir, "alpha.key");
        var pngPath = Path.Combine(_dir, "alpha.png");
        var made = await TakcanAsync("key", "new", "--mission", "Alpha Team", "--team", "cyan", "--hops", "4", "--days", "10", "--out", keyPath, "--qr", pngPath);
        Assert.Equal(0, made.ExitCode);
        AssertMode0600(keyPath);
        AssertMode0600(pngPath);

        var key = MissionKeyFile.Read(await File.ReadAllBytesAsync(keyPath));
        Assert.Equal(("Alpha Team", "Cyan", 4), (key.Mission, key.Team, key.MaxHops));
        Assert.Contains($"key id      {MissionKey.FormatKeyId(key.KeyId)}", made.Stdout);
        Assert.Contains($"check       {MissionKeyUri.Check(key)}", made.Stdout);
        AssertNoKeyMaterial(made.Stdout, key);

        // ZXing reads the PNG back to the very same key.
        Assert.Equal(key, MissionKeyQr.ReadKey(await File.ReadAllBytesAsync(pngPath), DateTime.UtcNow));

        var imported = await TakcanAsync("key", "import", pngPath);
        Assert.Equal(0, imported.ExitCode);
        Assert.Contains("mission     Alpha Team", imported.Stdout);
        Assert.Contains($"key id      {MissionKey.FormatKeyId(key.KeyId)}", imported.Stdout);
        AssertNoKeyMaterial(imported.Stdout, key);
    }

    [Fact]
    public async Task Import_of_a_corrupted_uri_exits_1_with_the_check_value_message()
    {
        var keyPath = Path.Combine(_dir, "bravo.key");
        Assert.Equal(0, (await TakcanAsync("key", "new", "--mission", "Bravo", "--team", "Dark Blue", "--out", keyPath)).ExitCode);
        var uri = (await TakcanAsync("key", "uri", keyPath)).Stdout.Trim();
        Assert.StartsWith("takcan://mission?", uri);

        var k = uri.IndexOf("&k=", StringComparison.Ordinal) + 3 + 10;
        var corrupted = uri[..k] + (uri[k] == 'Q' ? 'R' : 'Q') + uri[(k + 1)..];
        var refused = await TakcanAsync("key", "import", corrupted, "--out", Path.Combine(_dir, "never.key"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"takcan: {MissionKeyUri.WrongCheckMessage}", refused.Stderr.TrimEnd());
        Assert.False(File.Exists(Path.Combine(_dir, "never.key")));

        var copyPath = Path.Combine(_dir, "copy.key");
        var accepted = await TakcanAsync("key", "import", uri, "--out", copyPath);
        Assert.Equal(0, accepted.ExitCode);
        AssertMode0600(copyPath);
        Assert.Equal(
            MissionKeyFile.Read(await File.ReadAllBytesAsync(keyPath)),
            MissionKeyFile.Read(await File.ReadAllBytesAsync(copyPath)));
    }

    [Fact]
    public async Task Existing_files_are_kept_unless_forced()
    {
        var keyPath = Path.Combine(_dir, "charlie.key");
        Assert.Equal(0, (await TakcanAsync("key", "new", "--mission", "Charlie", "--team", "Red", "--out", keyPath)).ExitCode);
        var before = await File.ReadAllBytesAsync(keyPath);

        var again = await TakcanAsync("key", "new", "--mission", "Charlie", "--team", "Red", "--out", keyPath);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists; use --force", again.Stderr);
        Assert.Equal(before, await File.ReadAllBytesAsync(keyPath));

        Assert.Equal(0, (await TakcanAsync("key", "new", "--mission", "Charlie", "--team", "Red", "--out", keyPath, "--force")).ExitCode);
        Assert.NotEqual(before, await File.ReadAllBytesAsync(keyPath));
        AssertMode0600(keyPath);
    }

    [Fact]
    public async Task Rotate_keeps_the_old_key_id_as_previous()
    {
        var keyPath = Path.Combine(_dir, "delta.key");
        Assert.Equal(0, (await TakcanAsync("key", "new", "--mission", "Delta", "--team", "Green", "--expires", "2099-01-01", "--out", keyPath)).ExitCode);
        var old = MissionKeyFile.Read(await File.ReadAllBytesAsync(keyPath));

        var rotated = await TakcanAsync("key", "rotate", keyPath, "--grace-hours", "12");
        Assert.Equal(0, rotated.ExitCode);
        AssertMode0600(keyPath);
        var current = MissionKeyFile.Read(await File.ReadAllBytesAsync(keyPath));
        Assert.Equal(old.KeyId, current.PreviousKeyId);
        Assert.NotEqual(old.KeyId, current.KeyId);
        Assert.Equal(new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc), current.Expires);

        var shown = await TakcanAsync("key", "show", keyPath);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains($"previous    {MissionKey.FormatKeyId(old.KeyId)} (accepted until", shown.Stdout);
        AssertNoKeyMaterial(shown.Stdout, current);
    }

    [Fact]
    public async Task Images_without_a_mission_code_are_refused_clearly()
    {
        var blank = Path.Combine(_dir, "blank.png");
        await File.WriteAllBytesAsync(blank, WhitePng(64, 64));
        var noCode = await TakcanAsync("key", "import", blank);
        Assert.Equal(1, noCode.ExitCode);
        Assert.Contains("no QR code found", noCode.Stderr);

        var other = Path.Combine(_dir, "other.png");
        await File.WriteAllBytesAsync(other, MissionKeyQr.ToPng("https://example.com/"));
        var wrongCode = await TakcanAsync("key", "import", other);
        Assert.Equal(1, wrongCode.ExitCode);
        Assert.Contains("not a TAK Can mission key", wrongCode.Stderr);

        var text = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(text, "hello");
        var notImage = await TakcanAsync("key", "import", text);
        Assert.Equal(1, notImage.ExitCode);
        Assert.Contains("PNG or JPEG", notImage.Stderr);
    }

    [Theory]
    [InlineData("--hops", "6", "1 to 5")]
    [InlineData("--team", "Pink", "unknown team 'Pink'")]
    [InlineData("--expires", "2001-01-01", "in the past")]
    public async Task Bad_values_are_refused_in_one_line(string option, string value, string message)
    {
        var args = new List<string> { "key", "new", "--mission", "Echo", "--team", "Cyan", "--out", Path.Combine(_dir, "echo.key") };
        var at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);

        var result = await TakcanAsync([.. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "echo.key")));
    }

    private static void AssertMode0600(string path)
    {
        if (!OperatingSystem.IsWindows()) Assert.Equal(Mode0600, File.GetUnixFileMode(path));
    }

    private static void AssertNoKeyMaterial(string output, MissionKey key)
    {
        Assert.DoesNotContain(Convert.ToBase64String(key.Key.Span).TrimEnd('='), output);
        Assert.DoesNotContain(Base64Url.EncodeToString(key.Key.Span), output);
        Assert.DoesNotContain(Convert.ToHexString(key.Key.Span), output, StringComparison.OrdinalIgnoreCase);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> TakcanAsync(params string[] args) =>
        TakcanProcess.RunTextAsync(args);

    /// <summary>A plain white greyscale PNG: an image with no code in it.</summary>
    private static byte[] WhitePng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
        WriteChunk(png, "IHDR", header);

        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[width + 1];
            Array.Fill(row, (byte)0xFF, 1, width);
            for (var y = 0; y < height; y++) zlib.Write(row);
        }

        WriteChunk(png, "IDAT", pixels.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}
