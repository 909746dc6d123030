using TakCan.Actors.Device;
using TakCan.Host.Console.Node;

namespace TakCan.Host.Console.Tests.Node;

/// <summary>The <c>bridge</c> section of the node config turns on the bridge and onboarding parts (specs/bridge.md, "Node config").</summary>
public sealed class NodeBridgeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("takcan-node-bridge-").FullName;

    [Theory]
    [InlineData("""{"enabled": true}""", true, true)]
    [InlineData("""{"enabled": true, "onboard": "off"}""", true, false)]
    [InlineData("""{"onboard": "ops"}""", false, true)]
    [InlineData("{}", false, true)]
    public void The_bridge_section_picks_the_parts(string bridge, bool bridging, bool onboarding)
    {
        var created = NodeConfigFile.CreateNew();
        var path = Path.Combine(_directory, "node.json");
        File.WriteAllText(path, $$"""{"callsign": "{{created.Callsign}}", "uid": "{{created.Uid}}", "node": "{{created.Node}}", "bridge": {{bridge}}}""");

        var config = NodeConfigFile.Read(path);
        var children = NodeBridge.With(DeviceChildren.None, config, _directory, _ => { });

        Assert.Equal(bridging, children.Bridge is not null);
        Assert.Equal(onboarding, children.Onboarding is not null);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
