using System.Text.Json;
using System.Text.Json.Serialization;
using TakCan.Protocols.Mesh;

namespace TakCan.Host.Console.Node;

/// <summary>Reads, writes and creates node config files.</summary>
public static class NodeConfigFile
{
    public const string DefaultName = "node.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The data directory when none is given: $XDG_DATA_HOME/takcan or ~/.local/share/takcan.</summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "takcan");
    }

    /// <exception cref="InvalidDataException">The file is not a valid node config; the message says what is wrong.</exception>
    public static NodeConfig Read(string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<NodeConfig>(File.ReadAllBytes(path), Options)
                         ?? throw new InvalidDataException($"{path} is empty");
            Validate(config, path);
            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static void Write(NodeConfig config, string path)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(config, Options));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A new identity: random node id, TAK-style uid, a callsign from the node id.</summary>
    public static NodeConfig CreateNew()
    {
        var node = NodeId.NewRandom();
        var suffix = node.ToString()[..4].ToUpperInvariant();
        return new NodeConfig
        {
            Callsign = $"TAKCAN-{suffix}",
            Uid = $"TAKCAN-{Guid.NewGuid():D}",
            Node = node.ToString(),
        };
    }

    private static void Validate(NodeConfig config, string path)
    {
        if (string.IsNullOrWhiteSpace(config.Callsign)) throw new InvalidDataException($"{path}: callsign is empty");
        if (string.IsNullOrWhiteSpace(config.Uid)) throw new InvalidDataException($"{path}: uid is empty");
        if (config.Node.Length != 32 || !config.Node.All(Uri.IsHexDigit))
            throw new InvalidDataException($"{path}: node must be 32 hex digits (a mesh node id)");
    }
}
