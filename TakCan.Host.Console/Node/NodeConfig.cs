namespace TakCan.Host.Console.Node;

/// <summary>The node config file (specs/device.md, "Node config"), as JSON with camelCase names.</summary>
public sealed record NodeConfig
{
    public required string Callsign { get; init; }

    public required string Uid { get; init; }

    /// <summary>Mesh node id, 32 hex digits; only ever sent inside the mesh encryption.</summary>
    public required string Node { get; init; }

    public string Team { get; init; } = "Cyan";

    public string Role { get; init; } = "Team Member";

    public string Type { get; init; } = "a-f-G-U-C";

    /// <summary>Mission key file, relative to the data directory unless absolute.</summary>
    public string KeyFile { get; init; } = "mission.key";

    public MeshConfig Mesh { get; init; } = new();

    public ApiConfig Api { get; init; } = new();

    public MulticastConfig Multicast { get; init; } = new();

    public LocationConfig Location { get; init; } = new();

    public BridgeConfig Bridge { get; init; } = new();

    public sealed record MeshConfig
    {
        public UdpConfig Udp { get; init; } = new();

        public bool TeamFilter { get; init; } = true;
    }

    public sealed record UdpConfig
    {
        public string Bind { get; init; } = "0.0.0.0:17100";

        public IReadOnlyList<string> Peers { get; init; } = [];

        public bool Discovery { get; init; } = true;

        public string DiscoveryInterface { get; init; } = "0.0.0.0";

        public string DiscoveryGroup { get; init; } = "239.255.84.67:17045";
    }

    /// <summary>ATAK-compatible SA and GeoChat multicast on the LAN (239.2.3.1:6969, 224.10.10.1:17012).</summary>
    public sealed record MulticastConfig
    {
        public bool Enabled { get; init; } = true;

        public string Interface { get; init; } = "0.0.0.0";

        public string SaGroup { get; init; } = "239.2.3.1:6969";

        public string ChatGroup { get; init; } = "224.10.10.1:17012";
    }

    public sealed record ApiConfig
    {
        public string Url { get; init; } = "http://127.0.0.1:8780";

        /// <summary>Required when the API listens on anything but loopback.</summary>
        public string? Token { get; init; }
    }

    /// <summary>Bridge mode and onboarding with bridges (specs/bridge.md, "Node config").</summary>
    public sealed record BridgeConfig
    {
        /// <summary>This node bridges the mesh to its TAK servers.</summary>
        public bool Enabled { get; init; }

        /// <summary>
        /// The server whose enrolled or imported certificate this node onboards with; null: the only one in the key
        /// store, if there is exactly one. <see cref="Off"/>: never onboard.
        /// </summary>
        public string? Onboard { get; init; }

        public const string Off = "off";
    }

    /// <summary>Where the device's own position comes from: fixed, gpx, nmea or gpsd.</summary>
    public sealed record LocationConfig
    {
        public string Source { get; init; } = "fixed";

        public double Lat { get; init; }

        public double Lon { get; init; }

        public double Hae { get; init; }

        /// <summary>GPX or NMEA file to replay.</summary>
        public string? File { get; init; }

        public string Host { get; init; } = "127.0.0.1";

        public int Port { get; init; } = 2947;
    }
}
