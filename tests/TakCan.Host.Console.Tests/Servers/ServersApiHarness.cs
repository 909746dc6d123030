using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers;
using TakCan.Actors.Servers.MartiApi;
using TakCan.Host.Console.Api;
using TakCan.Host.Console.Tests.Api;

namespace TakCan.Host.Console.Tests.Servers;

/// <summary>A local API on a free loopback port in front of a real servers actor with its file and key store in a temp directory.</summary>
internal sealed class ServersApiHarness : IAsyncDisposable
{
    private ServersApiHarness(ActorSystem system, LocalApiHandle api, HttpClient http, string directory)
    {
        System = system;
        Api = api;
        Http = http;
        DataDirectory = directory;
    }

    public ActorSystem System { get; }

    /// <summary>What the servers actor told the device (mission events).</summary>
    public CannedActor Device { get; private init; } = null!;

    public LocalApiHandle Api { get; }

    public HttpClient Http { get; }

    public string DataDirectory { get; }

    public string ApiUrl => $"http://127.0.0.1:{Api.Url.Port}";

    public string ServersFile => Path.Combine(DataDirectory, "servers.json");

    /// <param name="missions">Mission settings for the servers actor, given the data directory; null: it keeps no missions.</param>
    public static async Task<ServersApiHarness> StartAsync(LocalApiOptions? options = null, Func<string, MissionsSettings>? missions = null)
    {
        var directory = Directory.CreateTempSubdirectory("takcan-servers-api-").FullName;
        var system = ActorSystem.Create("servers-api-tests", ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            """));
        var device = new CannedActor(system, "device");
        var servers = system.ActorOf(ServersActor.Props(
            Path.Combine(directory, "servers.json"),
            new FileKeyStore(Path.Combine(directory, "credentials")),
            new ServersProtocol.ServerIdentity(ApiHarness.Node.Uid, ApiHarness.Node.Callsign),
            device.Ref,
            missions: missions?.Invoke(directory)), "servers");
        var nobody = ActorRefs.Nobody;
        var targets = new ApiTargets(ApiHarness.Node, device.Ref, nobody, nobody, nobody, nobody, nobody) { Servers = servers };

        LocalApiHandle api;
        try
        {
            api = await LocalApi.StartAsync(targets, (options ?? new LocalApiOptions()) with { Url = "http://127.0.0.1:0" });
        }
        catch
        {
            await system.Terminate();
            throw;
        }

        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Url.Port}/"), Timeout = TimeSpan.FromSeconds(10) };
        return new ServersApiHarness(system, api, http, directory) { Device = device };
    }

    /// <summary>A server-connection data package with plain-TCP connections only (no certificates).</summary>
    public static byte[] TcpPackage(params string[] connectStrings) => TcpPackage(0, connectStrings);

    /// <param name="padding">Bytes of random data in an extra entry, to make the package that much larger.</param>
    public static byte[] TcpPackage(int padding, params string[] connectStrings)
    {
        var streams = new StringBuilder();
        for (var i = 0; i < connectStrings.Length; i++)
            streams.Append($"""<entry key="connectString{i}" class="class java.lang.String">{connectStrings[i]}</entry>""");
        var pref = $"""
            <?xml version='1.0' encoding='ASCII' standalone='yes'?>
            <preferences>
              <preference version="1" name="cot_streams">
                <entry key="count" class="class java.lang.Integer">{connectStrings.Length}</entry>
                {streams}
              </preference>
            </preferences>
            """;
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var entry = archive.CreateEntry("certs/server.pref").Open())
                entry.Write(Encoding.ASCII.GetBytes(pref));
            if (padding > 0)
            {
                using var entry = archive.CreateEntry("padding.bin", CompressionLevel.NoCompression).Open();
                entry.Write(RandomNumberGenerator.GetBytes(padding));
            }
        }

        return zip.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Api.DisposeAsync();
        await System.Terminate();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
