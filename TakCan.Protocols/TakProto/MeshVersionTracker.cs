namespace TakCan.Protocols.TakProto;

/// <summary>
/// The mesh version negotiation of ATAK-CIV takproto/README.md, "Mesh Network Protocol Negotiation", as plain
/// state: which TAK protocol versions every known contact decodes (rule 3), the version to broadcast at (rule 4),
/// and when a TakControl announcement is due (rules 1 and 5). No clock of its own: every call takes the time.
/// Not thread-safe; one owner (the multicast actor) drives it.
/// </summary>
/// <remarks>
/// This device decodes versions 0 (XML) to <see cref="MaxVersion"/>. A contact is known from a TakControl (its
/// contact uid) or from a message attributed to it by the caller; the range a contact supports is
/// <list type="bullet">
/// <item>the TakControl's min..max while its last TakControl is younger than <see cref="ControlTimeout"/> (3b;
/// an absent 0 reads as 1, per takcontrol.proto);</item>
/// <item>otherwise the version of its last message, [v, v] (3a, 3c), or [1, 1] for a contact only ever heard
/// through TakControl, which itself travels at version 1.</item>
/// </list>
/// A contact heard from by neither for <see cref="ForgetAfter"/> is forgotten, so a departed XML-only node does not
/// hold the mesh on XML for ever (the README's "known clients" are the ones not entirely stale).
/// </remarks>
public sealed class MeshVersionTracker
{
    public static readonly TimeSpan DefaultAnnounceInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultControlTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultForgetAfter = TimeSpan.FromMinutes(10);
    public const int DefaultMaxContacts = 4096;

    private readonly Dictionary<string, Entry> _contacts = new(StringComparer.Ordinal);
    private int _lastVersion;
    private DateTimeOffset? _announcedAt;

    /// <param name="maxVersion">Highest TAK protocol version this device decodes (it always decodes 0).</param>
    /// <param name="announceInterval">Rule 1: a TakControl at least this often.</param>
    /// <param name="controlTimeout">Rule 3c: without a TakControl for this long a contact falls back to its last message's version.</param>
    /// <param name="forgetAfter">A contact not heard from for this long is no longer known.</param>
    /// <param name="maxContacts">Most contacts tracked; further new ones are refused (a flood of made-up uids must not grow memory).</param>
    public MeshVersionTracker(
        int maxVersion = TakProtocolFraming.SupportedVersion,
        TimeSpan? announceInterval = null,
        TimeSpan? controlTimeout = null,
        TimeSpan? forgetAfter = null,
        int maxContacts = DefaultMaxContacts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersion, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxContacts, 1);
        MaxVersion = maxVersion;
        AnnounceInterval = Positive(announceInterval ?? DefaultAnnounceInterval, nameof(announceInterval));
        ControlTimeout = Positive(controlTimeout ?? DefaultControlTimeout, nameof(controlTimeout));
        ForgetAfter = Positive(forgetAfter ?? DefaultForgetAfter, nameof(forgetAfter));
        MaxContacts = maxContacts;
        _lastVersion = maxVersion;
    }

    public int MaxVersion { get; }

    public TimeSpan AnnounceInterval { get; }

    public TimeSpan ControlTimeout { get; }

    public TimeSpan ForgetAfter { get; }

    public int MaxContacts { get; }

    /// <summary>Contacts currently held, forgotten ones included until the next <see cref="Evaluate"/>.</summary>
    public int Count => _contacts.Count;

    /// <summary>
    /// A message from <paramref name="contactUid"/> was decoded at <paramref name="version"/> (0 = XML).
    /// Returns false when the contact is new and <see cref="MaxContacts"/> are already tracked.
    /// </summary>
    public bool MessageReceived(string contactUid, int version, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        if (!TryGet(contactUid, now, out var entry)) return false;
        entry.LastHeard = now;
        entry.LastVersion = version;
        return true;
    }

    /// <summary>
    /// A TakControl from <paramref name="contactUid"/> announced <paramref name="minVersion"/>..<paramref name="maxVersion"/>,
    /// as read from the wire (0 reads as 1). Returns false when refused as in <see cref="MessageReceived"/>.
    /// </summary>
    public bool ControlReceived(string contactUid, uint minVersion, uint maxVersion, DateTimeOffset now)
    {
        if (!TryGet(contactUid, now, out var entry)) return false;
        entry.LastHeard = now;
        entry.Control = new Announcement(Effective(minVersion), Effective(maxVersion), now);
        return true;
    }

    /// <summary>
    /// Rule 4: the highest version every known contact and this device support, or 0 (XML) when there is none.
    /// With no contacts known that is <see cref="MaxVersion"/>. Does not change any state.
    /// </summary>
    public int SendVersion(DateTimeOffset now)
    {
        for (var version = MaxVersion; version >= 1; version--)
        {
            var all = true;
            foreach (var entry in _contacts.Values)
            {
                if (IsForgotten(entry, now)) continue;
                var (min, max) = Range(entry, now);
                if (version < min || version > max)
                {
                    all = false;
                    break;
                }
            }

            if (all) return version;
        }

        return 0;
    }

    /// <summary>
    /// Forgets contacts silent for <see cref="ForgetAfter"/>, recomputes the send version and says whether a
    /// TakControl must go out now: because the version changed since the last evaluation (rule 5) or because
    /// <see cref="AnnounceInterval"/> passed since the last <see cref="Announced"/> (rule 1; also before the first).
    /// </summary>
    public Decision Evaluate(DateTimeOffset now)
    {
        List<string>? forgotten = null;
        foreach (var (uid, entry) in _contacts)
            if (IsForgotten(entry, now))
                (forgotten ??= []).Add(uid);
        if (forgotten is not null)
            foreach (var uid in forgotten)
                _contacts.Remove(uid);

        var version = SendVersion(now);
        var changed = version != _lastVersion;
        _lastVersion = version;
        var due = _announcedAt is not { } at || now - at >= AnnounceInterval;
        // Rule 1: a TakControl goes out at the send version, or at the lowest version above 0 when that is XML.
        return new Decision(version, changed, due, version == 0 ? 1 : version);
    }

    /// <summary>A TakControl was broadcast at <paramref name="now"/>; the next one is due <see cref="AnnounceInterval"/> later.</summary>
    public void Announced(DateTimeOffset now) => _announcedAt = now;

    /// <summary>What is known of every contact now, ordered by uid (status pages, tests).</summary>
    public IReadOnlyList<ContactVersions> Contacts(DateTimeOffset now) =>
        _contacts
            .Where(c => !IsForgotten(c.Value, now))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c =>
            {
                var (min, max) = Range(c.Value, now);
                return new ContactVersions(c.Key, min, max, IsControlFresh(c.Value, now), c.Value.LastHeard);
            })
            .ToArray();

    private bool TryGet(string contactUid, DateTimeOffset now, out Entry entry)
    {
        ArgumentException.ThrowIfNullOrEmpty(contactUid);
        if (_contacts.TryGetValue(contactUid, out entry!)) return true;
        if (_contacts.Count >= MaxContacts)
        {
            // Make room from the forgotten before refusing a real newcomer.
            foreach (var (uid, old) in _contacts)
                if (IsForgotten(old, now))
                    _contacts.Remove(uid);
            if (_contacts.Count >= MaxContacts) return false;
        }

        _contacts[contactUid] = entry = new Entry { LastHeard = now };
        return true;
    }

    private (int Min, int Max) Range(Entry entry, DateTimeOffset now)
    {
        if (IsControlFresh(entry, now)) return (entry.Control!.Min, entry.Control.Max);
        var version = entry.LastVersion ?? TakProtocolFraming.SupportedVersion;
        return (version, version);
    }

    private bool IsControlFresh(Entry entry, DateTimeOffset now) =>
        entry.Control is { } control && now - control.At < ControlTimeout;

    private bool IsForgotten(Entry entry, DateTimeOffset now) => now - entry.LastHeard >= ForgetAfter;

    // takcontrol.proto: an absent (0) version means 1; versions above int range are as unusable as any we lack.
    private static int Effective(uint version) => version == 0 ? 1 : (int)Math.Min(version, int.MaxValue);

    private static TimeSpan Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "must be positive");
        return value;
    }

    private sealed class Entry
    {
        public DateTimeOffset LastHeard { get; set; }

        public int? LastVersion { get; set; }

        public Announcement? Control { get; set; }
    }

    private sealed record Announcement(int Min, int Max, DateTimeOffset At);

    /// <summary>
    /// The outcome of <see cref="Evaluate"/>: the version to send at, and whether to announce.
    /// </summary>
    /// <param name="SendVersion">Rule 4: 0 = XML, 1 = TAK protocol mesh format.</param>
    /// <param name="VersionChanged">Rule 5: differs from the previous evaluation; announce immediately.</param>
    /// <param name="AnnouncementDue">Rule 1: the periodic announcement is due.</param>
    /// <param name="AnnounceVersion">The version a TakControl goes out at (never 0).</param>
    public sealed record Decision(int SendVersion, bool VersionChanged, bool AnnouncementDue, int AnnounceVersion)
    {
        /// <summary>A TakControl must go out now.</summary>
        public bool AnnounceNow => VersionChanged || AnnouncementDue;
    }

    /// <summary>One contact as the tracker sees it.</summary>
    /// <param name="FromControl">The range comes from a TakControl younger than the control timeout.</param>
    public sealed record ContactVersions(string Uid, int MinVersion, int MaxVersion, bool FromControl, DateTimeOffset LastHeard);
}
