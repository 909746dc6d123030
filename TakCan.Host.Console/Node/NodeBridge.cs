using TakCan.Actors.Bridge;
using TakCan.Actors.Device;
using TakCan.Actors.Platform;
using TakCan.Protocols.Mesh;

namespace TakCan.Host.Console.Node;

/// <summary>The bridge and onboarding parts of a node, from its <c>bridge</c> config (specs/bridge.md, "Node config").</summary>
public static class NodeBridge
{
    public static DeviceChildren With(DeviceChildren children, NodeConfig config, string dataDirectory, Action<string> say)
    {
        var node = NodeId.Parse(config.Node);
        var credentials = new FileKeyStore(ServersFile.CredentialsDirectory(dataDirectory));
        if (config.Bridge.Enabled)
        {
            say("bridge mode: onboarded mesh peers' CoT goes to the TAK servers, server CoT into the mesh");
            children = children with { Bridge = device => BridgeActor.Props(new BridgeSettings(node), device, credentials) };
        }

        var onboard = config.Bridge.Onboard;
        if (string.Equals(onboard, NodeConfig.BridgeConfig.Off, StringComparison.OrdinalIgnoreCase)) return children;
        var settings = new OnboardingSettings(node, config.Uid, EnrolledIdentity.From(credentials, string.IsNullOrWhiteSpace(onboard) ? null : onboard));
        return children with { Onboarding = device => OnboardingActor.Props(settings, device) };
    }
}
