using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Protocols.Cot;

namespace TakCan.Host.Console.Sim;

/// <summary>
/// The simulator's tap on one simulated device, plugged in as one more situation child (it sees every event that
/// enters) and as an outlet (it sees every event the device sends). It only writes to the ledger; the device does
/// not know it is watched.
/// </summary>
public sealed class SimObserver : ReceiveActor
{
    public SimObserver(SimLedger ledger, int node)
    {
        Receive<DeviceProtocol.CotReceived>(received => ledger.Received(node, received.Event, received.Source));
        Receive<Sending>(sending => ledger.Originated(node, sending.Event));
    }

    public static Props Props(SimLedger ledger, int node) => Akka.Actor.Props.Create(() => new SimObserver(ledger, node));

    /// <summary>An event the device sends (what the outlet is handed).</summary>
    public sealed record Sending(CotEvent Event);
}
