using TakCan.Protocols.TakProto.Wire;

namespace TakCan.Protocols.TakProto;

/// <summary>
/// TakControl, the mesh version announcement of takproto/README.md: each node broadcasts a TakMessage
/// holding only a TakControl (supported min/max protocol version and its contact uid) so peers can
/// pick the highest version every known contact supports.
/// </summary>
public static class TakControlMessages
{
    /// <summary>A TakMessage that holds only a TakControl, announcing versions min..max for a contact.</summary>
    public static TakMessage Create(uint minProtoVersion, uint maxProtoVersion, string contactUid)
    {
        ArgumentNullException.ThrowIfNull(contactUid);
        // Version 0 is XML; announcing it inside a protobuf message makes no sense, and 0 on the wire
        // would be read back as 1 anyway.
        ArgumentOutOfRangeException.ThrowIfLessThan(minProtoVersion, 1u);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxProtoVersion, minProtoVersion);
        return new TakMessage
        {
            TakControl = new TakControl
            {
                MinProtoVersion = minProtoVersion,
                MaxProtoVersion = maxProtoVersion,
                ContactUid = contactUid,
            },
        };
    }

    /// <summary>The announcement for this implementation: exactly <see cref="TakProtocolFraming.SupportedVersion"/>.</summary>
    public static TakMessage CreateSupported(string contactUid) =>
        Create(TakProtocolFraming.SupportedVersion, TakProtocolFraming.SupportedVersion, contactUid);

    /// <summary>True when the message carries a TakControl and no CoT event.</summary>
    public static bool IsControlOnly(this TakMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.TakControl is not null && message.CotEvent is null;
    }

    /// <summary>Lowest version the sender accepts; an absent (0) value means 1 per takcontrol.proto.</summary>
    public static uint EffectiveMinVersion(this TakControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        return control.MinProtoVersion == 0 ? 1 : control.MinProtoVersion;
    }

    /// <summary>Highest version the sender accepts; an absent (0) value means 1 per takcontrol.proto.</summary>
    public static uint EffectiveMaxVersion(this TakControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        return control.MaxProtoVersion == 0 ? 1 : control.MaxProtoVersion;
    }

    /// <summary>True when <paramref name="version"/> lies in the sender's effective min..max range.</summary>
    public static bool Supports(this TakControl control, uint version) =>
        version >= control.EffectiveMinVersion() && version <= control.EffectiveMaxVersion();
}
