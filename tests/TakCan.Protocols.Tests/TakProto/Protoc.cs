using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TakCan.Protocols.Tests.TakProto;

/// <summary>
/// Runs Google's <c>protoc</c> against the TAK Protocol schema in this repository, so tests can check
/// our bytes against the reference implementation rather than against our own decoder.
/// CI installs it (Debian package protobuf-compiler); a missing protoc is a test failure, not a skip.
/// </summary>
internal static class Protoc
{
    public const string TakMessageType = "atakmap.commoncommo.protobuf.v1.TakMessage";
    public const string TakMessageProto = "takmessage.proto";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Schema = new(FindSchemaDirectory);
    private static readonly Lazy<string> Executable = new(FindExecutable);

    /// <summary>TakCan.Protocols/TakProto/Schema, found by walking up from the test binaries to TakCan.sln.</summary>
    public static string SchemaDirectory => Schema.Value;

    /// <summary><c>protoc --decode</c>: binary message in, text format out.</summary>
    public static string Decode(ReadOnlySpan<byte> message, string messageType = TakMessageType, string protoFile = TakMessageProto)
    {
        var stdout = Run(["--decode", messageType, "--proto_path", SchemaDirectory, protoFile], message.ToArray());
        return Encoding.UTF8.GetString(stdout);
    }

    /// <summary><c>protoc --encode</c>: text format in, binary message out.</summary>
    public static byte[] Encode(string text, string messageType = TakMessageType, string protoFile = TakMessageProto) =>
        Run(["--encode", messageType, "--proto_path", SchemaDirectory, protoFile], Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Flattens protoc's text format into "path.to.field" → value, strings unescaped (protoc writes
    /// non-ASCII bytes as octal escapes). Enough for the singular fields of the TAK schema.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseText(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = new Stack<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            if (line == "}")
            {
                path.Pop();
                continue;
            }
            if (line.EndsWith('{'))
            {
                path.Push(line[..^1].Trim());
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon < 0)
                throw new FormatException($"unexpected protoc output line: {line}");
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            var key = path.Count == 0 ? name : string.Join('.', path.Reverse()) + "." + name;
            fields[key] = value.StartsWith('"') ? Unquote(value) : value;
        }
        return fields;
    }

    /// <summary>A numeric field of <see cref="ParseText"/> output, as protoc printed it.</summary>
    public static double ParseDouble(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static byte[] Run(IReadOnlyList<string> arguments, byte[] stdin)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = SchemaDirectory,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {Executable.Value}");
        using var stdout = new MemoryStream();
        // Read both pipes while writing stdin, or a large message could fill a pipe and deadlock.
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderrTask = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();

        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            throw new TimeoutException($"protoc {string.Join(' ', arguments)} did not finish within {Timeout}");
        }
        stdoutTask.GetAwaiter().GetResult();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"protoc {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Trim()}");
        return stdout.ToArray();
    }

    private static string FindExecutable()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PROTOC");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
            return fromEnvironment;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length == 0)
                continue;
            foreach (var name in (string[])["protoc", "protoc.exe"])
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new InvalidOperationException(
            "protoc not found on PATH (or in $PROTOC). The TAK Protocol interop tests need it: "
            + "install the Debian package protobuf-compiler (apt-get install protobuf-compiler).");
    }

    private static string FindSchemaDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TakCan.sln")))
            {
                var schema = Path.Combine(directory.FullName, "TakCan.Protocols", "TakProto", "Schema");
                if (!File.Exists(Path.Combine(schema, TakMessageProto)))
                    throw new InvalidOperationException($"found TakCan.sln in {directory.FullName} but no {TakMessageProto} in {schema}");
                return schema;
            }
        }
        throw new InvalidOperationException($"no TakCan.sln above {AppContext.BaseDirectory}; cannot locate the .proto schema");
    }

    // protoc's text format uses C escapes: \n \t \" \' \\ and octal \ooo (one byte each), hex \xhh.
    private static string Unquote(string quoted)
    {
        if (quoted.Length < 2 || quoted[^1] != '"')
            throw new FormatException($"unterminated string in protoc output: {quoted}");
        var body = quoted.AsSpan(1, quoted.Length - 2);
        var bytes = new List<byte>(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\')
            {
                // Newer protoc releases print valid UTF-8 as is; keep surrogate pairs together.
                int units = char.IsHighSurrogate(c) && i + 1 < body.Length ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(body.Slice(i, units).ToArray()));
                i += units - 1;
                continue;
            }
            char e = body[++i];
            switch (e)
            {
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '"': bytes.Add((byte)'"'); break;
                case '\'': bytes.Add((byte)'\''); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case 'x':
                    bytes.Add(Convert.ToByte(body.Slice(i + 1, 2).ToString(), 16));
                    i += 2;
                    break;
                case >= '0' and <= '7':
                    int octal = 0, digits = 0;
                    while (digits < 3 && i < body.Length && body[i] is >= '0' and <= '7')
                    {
                        octal = octal * 8 + (body[i] - '0');
                        i++;
                        digits++;
                    }
                    i--;
                    bytes.Add((byte)octal);
                    break;
                default:
                    throw new FormatException($"unknown escape \\{e} in protoc output: {quoted}");
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
