using Akka.Configuration;
using TakCan.Actors.Mesh;
using TakCan.Actors.Situation.Chat;
using TakCan.Actors.Situation.Contacts;
using TakCan.Actors.Situation.Emergency;
using TakCan.Actors.Situation.Store;
using TakCan.Protocols.Cot.Xml;

namespace TakCan.Actors.Device;

/// <summary>
/// The <c>takcan</c> section of akka.hocon, read once into the typed settings each part of the device takes.
/// A missing key keeps the part's own default.
/// </summary>
public sealed record DeviceConfiguration
{
    public static DeviceConfiguration Default { get; } = new();

    public CotXmlLimits Cot { get; init; } = CotXmlLimits.Default;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LinkTimeout { get; init; } = TimeSpan.FromSeconds(35);

    public int LinkQueueSize { get; init; } = 256;

    public RelaySettings Relay { get; init; } = RelaySettings.Default;

    public ContactsSettings Contacts { get; init; } = ContactsSettings.Default;

    public ChatSettings Chat { get; init; } = ChatSettings.Default;

    public EmergencySettings Emergency { get; init; } = EmergencySettings.Default;

    public CotStoreSettings Store { get; init; } = CotStoreSettings.Default;

    /// <summary>Journal and snapshot store of the situation actors (null: the actor system's defaults).</summary>
    public PersistencePlugins Plugins { get; init; } = PersistencePlugins.Default;

    /// <summary>The clock contacts and the CoT store judge staleness by: the system's, or a simulation's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public TimeSpan SelfStationaryInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SelfMinInterval { get; init; } = TimeSpan.FromSeconds(2);

    public double SelfDistanceThreshold { get; init; } = 10;

    public double SelfHeadingThreshold { get; init; } = 15;

    public static DeviceConfiguration From(Config config)
    {
        var takcan = config.GetConfig("takcan");
        if (takcan is null || takcan.IsEmpty) return Default;
        var d = Default;
        return new DeviceConfiguration
        {
            Cot = new CotXmlLimits
            {
                MaxEventBytes = takcan.GetInt("cot.max-event-bytes", d.Cot.MaxEventBytes),
                MaxDepth = takcan.GetInt("cot.max-depth", d.Cot.MaxDepth),
            },
            HandshakeTimeout = takcan.GetTimeSpan("mesh.handshake-timeout", d.HandshakeTimeout),
            KeepaliveInterval = takcan.GetTimeSpan("mesh.keepalive-interval", d.KeepaliveInterval),
            LinkTimeout = takcan.GetTimeSpan("mesh.link-timeout", d.LinkTimeout),
            LinkQueueSize = takcan.GetInt("mesh.link-queue-size", d.LinkQueueSize),
            Relay = d.Relay with
            {
                BroadcastWindow = takcan.GetTimeSpan("mesh.relay.broadcast-window", d.Relay.BroadcastWindow),
                SuppressAfterDuplicates = takcan.GetInt("mesh.relay.suppress-after-duplicates", d.Relay.SuppressAfterDuplicates),
                OriginRingSuppressAfterDuplicates = takcan.GetInt("mesh.relay.origin-ring-suppress-after-duplicates", d.Relay.OriginRingSuppressAfterDuplicates),
            },
            Contacts = d.Contacts with
            {
                RemoveAfterStale = takcan.GetTimeSpan("situation.contacts.remove-after-stale", d.Contacts.RemoveAfterStale),
                SnapshotEvery = takcan.GetInt("situation.contacts.snapshot-every", d.Contacts.SnapshotEvery),
            },
            Chat = d.Chat with
            {
                FirstResend = takcan.GetTimeSpan("situation.chat.first-resend", d.Chat.FirstResend),
                MaxResend = takcan.GetTimeSpan("situation.chat.max-resend", d.Chat.MaxResend),
                MaxTextLength = takcan.GetInt("situation.chat.max-text-length", d.Chat.MaxTextLength),
            },
            Emergency = d.Emergency with
            {
                FirstResend = takcan.GetTimeSpan("situation.emergency.first-resend", d.Emergency.FirstResend),
                MaxResend = takcan.GetTimeSpan("situation.emergency.max-resend", d.Emergency.MaxResend),
                RepeatWhileActive = takcan.GetTimeSpan("situation.emergency.repeat-while-active", d.Emergency.RepeatWhileActive),
                MinInterval = takcan.GetTimeSpan("situation.emergency.min-interval", d.Emergency.MinInterval),
                MaxPerWindow = takcan.GetInt("situation.emergency.max-per-window", d.Emergency.MaxPerWindow),
                Window = takcan.GetTimeSpan("situation.emergency.window", d.Emergency.Window),
            },
            Store = d.Store with
            {
                MaxAge = takcan.GetTimeSpan("situation.store.max-age", d.Store.MaxAge),
                MaxCount = takcan.GetInt("situation.store.max-count", d.Store.MaxCount),
                PruneInterval = takcan.GetTimeSpan("situation.store.prune-interval", d.Store.PruneInterval),
            },
            SelfStationaryInterval = takcan.GetTimeSpan("self.stationary-interval", d.SelfStationaryInterval),
            SelfMinInterval = takcan.GetTimeSpan("self.min-interval", d.SelfMinInterval),
            SelfDistanceThreshold = takcan.GetDouble("self.distance-threshold", d.SelfDistanceThreshold),
            SelfHeadingThreshold = takcan.GetDouble("self.heading-threshold", d.SelfHeadingThreshold),
        };
    }
}
