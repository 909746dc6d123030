using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using TakCan.Actors.Platform;
using TakCan.Host.Console.Keys;
using TakCan.Protocols.Mesh.Keys;

namespace TakCan.Host.Console.Cli;

/// <summary>
/// <c>takcan key new|import|show|rotate|uri</c>: make a mission key, hand it to other devices as a QR code or URI,
/// and rotate it (specs/mesh-keys.md). Key files go through <see cref="FileKeyStore"/>, so they are 0600 and replaced atomically.
/// Any refusal is one line on stderr and exit code 1.
/// </summary>
public static class KeyCommand
{
    private const int DefaultDays = 30;
    private const int MaxDays = 3650;
    private const int DefaultGraceHours = 24;

    public static Command Create()
    {
        var command = new Command("key", "Make, share, import and rotate mission keys: the pre-shared key a team's mesh runs on");
        command.Subcommands.Add(CreateNew());
        command.Subcommands.Add(CreateImport());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateRotate());
        command.Subcommands.Add(CreateUri());
        return command;
    }

    private static Command CreateNew()
    {
        var mission = new Option<string>("--mission") { Description = "Mission name, 1 to 64 characters", Required = true };
        var team = new Option<string>("--team") { Description = $"Team colour: {string.Join(", ", MissionKey.Teams)}", Required = true };
        var hops = new Option<int>("--hops")
        {
            Description = $"How many times a frame may be relayed, {MissionKey.MinHops} to {MissionKey.MaxHopsLimit}",
            DefaultValueFactory = _ => MissionKey.DefaultHops,
        };
        var expires = new Option<string?>("--expires") { Description = "Expiry as a UTC date or time, e.g. 2027-01-01 or 2027-01-01T12:00:00Z" };
        var days = new Option<int?>("--days") { Description = $"Expiry in days from now (default {DefaultDays}); instead of --expires" };
        var output = new Option<string>("--out") { Description = "Key file to write (mode 0600)", Required = true };
        var qr = new Option<string?>("--qr") { Description = "Also write the key as a QR code PNG (mode 0600: it holds the key)" };
        var force = ForceOption();
        var command = new Command("new", "Make a new random mission key and write the key file (and a QR code). Prints the key id and check value, never the key.")
        {
            mission, team, hops, expires, days, output, qr, force,
        };
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            var now = DateTime.UtcNow;
            var outPath = result.GetValue(output)!;
            var qrPath = result.GetValue(qr);
            var overwrite = result.GetValue(force);
            if (qrPath is not null && Path.GetFullPath(qrPath) == Path.GetFullPath(outPath))
                throw new MissionKeyException("--qr and --out name the same file; give the QR code its own .png file");
            RefuseOverwrite(outPath, overwrite);
            if (qrPath is not null) RefuseOverwrite(qrPath, overwrite);

            var key = MissionKey.Generate(result.GetValue(mission)!, result.GetValue(team)!, result.GetValue(hops),
                ResolveExpiry(result.GetValue(expires), result.GetValue(days), now));
            await SaveKeyAsync(outPath, key, cancellation);
            if (qrPath is not null)
                await SaveSecretAsync(qrPath, MissionKeyQr.ToPng(MissionKeyUri.Format(key)), cancellation);

            PrintSummary(key, now);
            System.Console.Out.WriteLine($"key file    {Path.GetFullPath(outPath)} (mode 0600)");
            if (qrPath is not null) System.Console.Out.WriteLine($"QR code     {Path.GetFullPath(qrPath)} (mode 0600)");
        }));
        return command;
    }

    private static Command CreateImport()
    {
        var source = new Argument<string>("code") { Description = "A takcan://mission?… URI, or a PNG/JPEG image of its QR code" };
        var output = new Option<string?>("--out") { Description = "Key file to write (mode 0600); without it the code is only checked and summarised" };
        var force = ForceOption();
        var command = new Command("import", "Read a mission key from its URI or QR code image, check it, and optionally write the key file")
        {
            source, output, force,
        };
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            var now = DateTime.UtcNow;
            var text = result.GetValue(source)!;
            var outPath = result.GetValue(output);
            if (outPath is not null) RefuseOverwrite(outPath, result.GetValue(force));

            MissionKey key;
            if (MissionKeyUri.LooksLikeUri(text))
                key = MissionKeyUri.Parse(text, now);
            else if (File.Exists(text))
                key = MissionKeyQr.ReadKey(await File.ReadAllBytesAsync(text, cancellation), now);
            else
                throw new MissionKeyException($"'{text}' is neither a takcan://mission? code nor an image file");

            if (outPath is not null) await SaveKeyAsync(outPath, key, cancellation);
            PrintSummary(key, now);
            if (outPath is not null) System.Console.Out.WriteLine($"key file    {Path.GetFullPath(outPath)} (mode 0600)");
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var file = KeyFileArgument();
        var command = new Command("show", "Summarise a key file: mission, team, hops, expiry, key ids, check value (never the key)") { file };
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            var key = await LoadKeyAsync(result.GetValue(file)!, cancellation);
            PrintSummary(key, DateTime.UtcNow);
        }));
        return command;
    }

    private static Command CreateRotate()
    {
        var file = KeyFileArgument();
        var grace = new Option<int>("--grace-hours")
        {
            Description = "How long the old key stays accepted, so devices not yet given the new code keep talking",
            DefaultValueFactory = _ => DefaultGraceHours,
        };
        var command = new Command("rotate", "Replace the key with a new random one; the old key stays accepted for the grace window") { file, grace };
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            var now = DateTime.UtcNow;
            var path = result.GetValue(file)!;
            var hours = result.GetValue(grace);
            if (hours < 0)
                throw new MissionKeyException($"--grace-hours must be 0 or more, not {hours}");
            var rotated = (await LoadKeyAsync(path, cancellation)).Rotate(now, TimeSpan.FromHours(hours));
            await SaveKeyAsync(path, rotated, cancellation);
            PrintSummary(rotated, now);
            System.Console.Out.WriteLine("share the new code with 'takcan key uri' or a new QR code");
        }));
        return command;
    }

    private static Command CreateUri()
    {
        var file = KeyFileArgument();
        var command = new Command("uri", "Print the key file's current key as a takcan://mission? URI, to copy to another device. It holds the key: treat it as a secret.") { file };
        command.SetAction((result, cancellation) => RunAsync(async () =>
        {
            var key = await LoadKeyAsync(result.GetValue(file)!, cancellation);
            if (key.IsExpired(DateTime.UtcNow))
                throw new MissionKeyException($"the mission key expired on {FormatTime(key.Expires)}; make a new one with 'takcan key new'");
            System.Console.Out.WriteLine(MissionKeyUri.Format(key));
        }));
        return command;
    }

    private static Argument<string> KeyFileArgument() => new("file") { Description = "The mission key file" };

    private static Option<bool> ForceOption() => new("--force") { Description = "Replace existing files" };

    private static DateTime ResolveExpiry(string? expires, int? days, DateTime now)
    {
        if (expires is not null && days is not null)
            throw new MissionKeyException("give --expires or --days, not both");
        if (expires is not null)
        {
            if (!DateTime.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
                throw new MissionKeyException($"--expires '{expires}' is not a date; write it like 2027-01-01 or 2027-01-01T12:00:00Z (UTC)");
            if (at <= now)
                throw new MissionKeyException($"--expires {FormatTime(at)} is in the past");
            return at;
        }

        var count = days ?? DefaultDays;
        if (count is < 1 or > MaxDays)
            throw new MissionKeyException($"--days must be 1 to {MaxDays}, not {count}");
        return now.AddDays(count);
    }

    private static void RefuseOverwrite(string path, bool force)
    {
        if (Directory.Exists(path))
            throw new MissionKeyException($"{path} is a directory; give a file name");
        if (File.Exists(path) && !force)
            throw new MissionKeyException($"{path} already exists; use --force to replace it");
    }

    private static async Task<MissionKey> LoadKeyAsync(string path, CancellationToken cancellation)
    {
        var (store, name) = StoreFor(path);
        var bytes = await store.LoadAsync(name, cancellation)
                    ?? throw new MissionKeyException($"there is no key file at {path}");
        try
        {
            return MissionKeyFile.Read(bytes);
        }
        catch (MissionKeyException e)
        {
            throw new MissionKeyException($"{path}: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static Task SaveKeyAsync(string path, MissionKey key, CancellationToken cancellation) =>
        SaveSecretAsync(path, MissionKeyFile.Write(key), cancellation);

    private static async Task SaveSecretAsync(string path, byte[] secret, CancellationToken cancellation)
    {
        try
        {
            var (store, name) = StoreFor(path);
            await store.SaveAsync(name, secret, cancellation);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>A key file path as a store rooted at its directory plus a name in it.</summary>
    private static (FileKeyStore Store, string Name) StoreFor(string path)
    {
        var full = Path.GetFullPath(path);
        var name = Path.GetFileName(full);
        if (name.Length == 0)
            throw new MissionKeyException($"{path} does not name a file");
        return (new FileKeyStore(Path.GetDirectoryName(full)!), name);
    }

    private static void PrintSummary(MissionKey key, DateTime now)
    {
        var output = System.Console.Out;
        output.WriteLine($"mission     {key.Mission}");
        output.WriteLine($"team        {key.Team}");
        output.WriteLine($"max hops    {key.MaxHops.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"expires     {FormatTime(key.Expires)}{(key.IsExpired(now) ? " (EXPIRED)" : "")}");
        output.WriteLine($"key id      {MissionKey.FormatKeyId(key.KeyId)}");
        output.WriteLine($"check       {MissionKeyUri.Check(key)}");
        if (key.PreviousKeyId is { } previousId)
        {
            var state = now < key.PreviousValidUntil ? "accepted until" : "no longer accepted since";
            output.WriteLine($"previous    {MissionKey.FormatKeyId(previousId)} ({state} {FormatTime(key.PreviousValidUntil!.Value)})");
        }
    }

    private static string FormatTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is MissionKeyException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // One line, so scripts and people see exactly one reason.
            var message = e.Message.ReplaceLineEndings(" ");
            await System.Console.Error.WriteLineAsync($"takcan: {message}");
            return 1;
        }
    }
}
