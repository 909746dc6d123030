using TakCan.Actors.Device;
using TakCan.Protocols.Cot;

namespace TakCan.Actors.Situation.Store;

/// <summary>Messages of <see cref="CotStoreActor"/> (besides <c>DeviceProtocol.CotReceived</c>, which feeds it).</summary>
public static class CotStoreProtocol
{
    /// <summary>Every stored event received in [<paramref name="From"/>, <paramref name="To"/>) (UTC).</summary>
    public sealed record GetCotRange(DateTime From, DateTime To);

    /// <summary>Reply to <see cref="GetCotRange"/>, in receive-time order.</summary>
    public sealed record CotRange(IReadOnlyList<StoredCot> Events);

    /// <summary>One event as the device received (or sent) it.</summary>
    /// <param name="Received">When this device stored it (UTC), not the event's own time.</param>
    public sealed record StoredCot(CotEvent Event, CotSource Source, DateTime Received);

    public sealed record GetCotStoreStatus
    {
        public static GetCotStoreStatus Instance { get; } = new();
    }

    /// <summary>Reply to <see cref="GetCotStoreStatus"/>: what the retention currently keeps.</summary>
    public sealed record CotStoreStatus(int Count, DateTime? Oldest, DateTime? Newest);
}
