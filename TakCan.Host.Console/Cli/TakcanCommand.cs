using System.CommandLine;

namespace TakCan.Host.Console.Cli;

/// <summary>The <c>takcan</c> command line: one verb per capability.</summary>
public static class TakcanCommand
{
    public static RootCommand Create() =>
        new("TAK Can: a TAK node that keeps a team's picture alive with no server and no internet")
        {
            NodeCommand.Create(),
            CotCommand.Create(),
            KeyCommand.Create(),
            ClientCommands.CreateStatus(),
            ClientCommands.CreateContacts(),
            ClientCommands.CreateChat(),
            ClientCommands.CreateEmergency(),
            MartiCommands.CreateChannels(),
            MartiCommands.CreateMissions(),
            ServerCommand.Create(),
            BridgeCommand.Create(),
            RigCommand.Create(),
            SimCommand.Create(),
        };
}
