using Akka.Actor;
using TakCan.Protocols.Cot;

namespace TakCan.Actors.Device;

/// <summary>
/// What flows through the device (../shared/ARCHITECTURE.md): everything that enters becomes a
/// <see cref="CotReceived"/> for situation/ and ui; everything the device sends leaves as <see cref="SendCot"/>.
/// </summary>
public static class DeviceProtocol
{
    /// <summary>An event entered the device (from any source, this device's own included).</summary>
    public sealed record CotReceived(CotEvent Event, CotSource Source);

    /// <summary>Send an event out of the device: into the mesh (and, with server links, to servers).</summary>
    /// <param name="Reliable">Retry until acknowledged end to end (emergencies, chat).</param>
    public sealed record SendCot(CotEvent Event, bool Reliable = false);

    /// <summary>
    /// A node acknowledged a reliable event end to end (specs/device.md, "Acknowledgements").
    /// <paramref name="Key"/> is <c>&lt;event uid&gt;|&lt;event time in ms&gt;</c>.
    /// </summary>
    public sealed record AckReceived(string Key, string AckerUid, string AckerCallsign);

    /// <summary>This device's own position changed (from the self reporter): for distances, bearings and the
    /// position chat and emergency events carry. Not persisted: it changes every few seconds.</summary>
    public sealed record SelfPositionChanged(CotPoint Position);

    /// <summary>Ask DeviceRoot for its children (the host wires the local API to them).</summary>
    public sealed record GetChildren
    {
        public static GetChildren Instance { get; } = new();
    }

    public sealed record ChildrenOf(IActorRef Mesh, IActorRef Ui, IReadOnlyDictionary<string, IActorRef> Named);

    /// <summary>The acknowledgement key of a reliable event: its uid and its time in milliseconds.</summary>
    public static string AckKey(CotEvent evt) =>
        $"{evt.Uid}|{(evt.Time.ToUniversalTime() - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond}";
}
