using Akka.Configuration;
using TakCan.Actors.Device;

namespace TakCan.Actors.Tests.Device;

public class DeviceConfigurationTests
{
    [Fact]
    public void The_shipped_akka_hocon_gives_the_documented_defaults()
    {
        var configuration = DeviceConfiguration.From(ConfigurationFactory.ParseString(File.ReadAllText(RepositoryFile("akka.hocon"))));

        Assert.Equal(DeviceConfiguration.Default.Cot, configuration.Cot);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromDays(7), configuration.Store.MaxAge);
        Assert.Equal(100_000, configuration.Store.MaxCount);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.Emergency.MinInterval);
        Assert.Equal(10, configuration.Emergency.MaxPerWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), configuration.SelfStationaryInterval);
        Assert.Equal(3, configuration.Relay.SuppressAfterDuplicates);
        Assert.Equal(3, configuration.Relay.OriginRingSuppressAfterDuplicates);
    }

    [Fact]
    public void Keys_set_in_hocon_override_and_missing_ones_keep_the_default()
    {
        var configuration = DeviceConfiguration.From(ConfigurationFactory.ParseString("""
            takcan.situation.store.max-age = 2d
            takcan.mesh.relay.broadcast-window = 100ms
            takcan.self.min-interval = 5s
            """));

        Assert.Equal(TimeSpan.FromDays(2), configuration.Store.MaxAge);
        Assert.Equal(TimeSpan.FromMilliseconds(100), configuration.Relay.BroadcastWindow);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.SelfMinInterval);
        Assert.Equal(DeviceConfiguration.Default.Store.MaxCount, configuration.Store.MaxCount);
        Assert.Equal(DeviceConfiguration.Default.Chat, configuration.Chat);
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TakCan.sln")))
                return Path.Combine(dir.FullName, name);
        throw new FileNotFoundException("TakCan.sln not found above the test assembly");
    }
}
