using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using TakCan.Actors.Device;
using TakCan.Actors.Platform;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Cot;
using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// DataSync missions on one TAK Server (specs/marti.md, "Missions"): list them, subscribe (keeping the mission token,
/// in memory and, given a key store, across runs), and pull a mission into the device: its CoT goes to the device as
/// <see cref="DeviceProtocol.CotReceived"/> from <c>mission:&lt;name&gt;</c> (so contacts and the CoT store get it),
/// its contents go to the content store once their SHA-256 matches their hash. Plain async code over
/// <see cref="MartiClient"/>, so HTTP never runs on an actor thread; the device is only told.
/// </summary>
public sealed class MissionsService
{
    private readonly MartiClient _client;
    private readonly ServerCredentialNames _server;
    private readonly string _clientUid;
    private readonly IMissionContentStore _contents;
    private readonly IActorRef _device;
    private readonly IKeyStore? _tokenStore;
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <param name="serverName">The server's name (as in <c>takcan server add NAME</c>); names the kept tokens.</param>
    /// <param name="clientUid">This device's uid, the subscriber TAK Server records.</param>
    /// <param name="device">Receives each mission event; <see cref="ActorRefs.Nobody"/> where there is no running device.</param>
    /// <param name="tokenStore">Where tokens are kept across runs (<c>takserver-NAME.mission-MISSION.token</c>); null: memory only.</param>
    /// <exception cref="Protocols.Enrolment.EnrolmentException"><paramref name="serverName"/> is not a server name.</exception>
    public MissionsService(MartiClient client, string serverName, string clientUid, IMissionContentStore contents, IActorRef device, IKeyStore? tokenStore = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(clientUid);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(device);
        _client = client;
        _server = ServerCredentialNames.For(serverName);
        _clientUid = clientUid;
        _contents = contents;
        _device = device;
        _tokenStore = tokenStore;
    }

    /// <summary>The key-store name a mission's token is kept under.</summary>
    public static string TokenName(string serverName, string mission) =>
        $"takserver-{ServerCredentialNames.For(serverName).ServerName}.mission-{MissionFileName.For(mission)}.token";

    /// <summary>The source the device sees a mission's events from.</summary>
    public static CotSource SourceOf(string mission) => new(CotSourceKind.Server, $"mission:{mission}");

    public Task<IReadOnlyList<MartiMission>> ListAsync(CancellationToken cancellationToken = default) => _client.ListMissionsAsync(cancellationToken);

    /// <summary>Subscribes this device to <paramref name="mission"/> and keeps the token for the mission's later requests.</summary>
    public async Task<MartiSubscription> SubscribeAsync(string mission, CancellationToken cancellationToken = default)
    {
        var subscription = await _client.SubscribeAsync(mission, _clientUid, cancellationToken);
        _tokens[mission] = subscription.Token;
        if (_tokenStore is not null)
            await _tokenStore.SaveAsync(TokenName(_server.ServerName, mission), Encoding.ASCII.GetBytes(subscription.Token), cancellationToken);
        return subscription;
    }

    /// <summary>The kept token of <paramref name="mission"/>, or null when this device has not subscribed.</summary>
    public async Task<string?> GetTokenAsync(string mission, CancellationToken cancellationToken = default)
    {
        if (_tokens.TryGetValue(mission, out var token)) return token;
        if (_tokenStore is null) return null;
        var stored = await _tokenStore.LoadAsync(TokenName(_server.ServerName, mission), cancellationToken);
        if (stored is null) return null;
        token = Encoding.ASCII.GetString(stored);
        // A damaged file must not end up in a header.
        if (token.Length == 0 || token.Length > _client.Limits.MaxTokenLength || !token.All(c => c is > ' ' and <= '~')) return null;
        return _tokens.GetOrAdd(mission, token);
    }

    /// <summary>
    /// Fetches the mission (subscribing first if this device has no token), gives its events to the device and saves
    /// its contents. A content that cannot be fetched, is too large or does not match its hash is refused and the pull
    /// goes on.
    /// </summary>
    /// <exception cref="MartiException">The mission or its CoT could not be fetched.</exception>
    public async Task<MissionPullResult> PullAsync(string mission, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mission);
        var token = await GetTokenAsync(mission, cancellationToken);
        var fresh = token is null;
        token ??= (await SubscribeAsync(mission, cancellationToken)).Token;

        MartiMission described;
        MissionCot cot;
        try
        {
            (described, cot) = await FetchAsync(mission, token, cancellationToken);
        }
        catch (MartiException e) when (!fresh && e.StatusCode is 401 or 403)
        {
            // A kept token expires, or dies with the mission it was issued for: subscribe again, once.
            token = (await SubscribeAsync(mission, cancellationToken)).Token;
            (described, cot) = await FetchAsync(mission, token, cancellationToken);
        }

        var source = SourceOf(described.Name);
        foreach (var evt in cot.Events) _device.Tell(new DeviceProtocol.CotReceived(evt, source), ActorRefs.NoSender);

        var contents = new List<MissionContentResult>();
        foreach (var content in described.Contents.DistinctBy(c => c.Hash, StringComparer.OrdinalIgnoreCase))
            contents.Add(await PullContentAsync(described.Name, content, token, cancellationToken));
        return new MissionPullResult(described.Name, cot.Events, cot.BadEvents, cot.Problems, new EquatableArray<MissionContentResult>(contents));
    }

    private async Task<(MartiMission, MissionCot)> FetchAsync(string mission, string token, CancellationToken cancellationToken)
    {
        var described = await _client.GetMissionAsync(mission, token, cancellationToken);
        var cot = await _client.GetMissionCotAsync(mission, token, cancellationToken);
        return (described, cot);
    }

    private async Task<MissionContentResult> PullContentAsync(string mission, MartiMissionContent content, string token, CancellationToken cancellationToken)
    {
        var filename = content.Filename ?? content.Name;
        if (!MartiContentHash.IsSha256(content.Hash))
            return Refused(content.Hash, $"'{content.Hash}' is not a SHA-256 hash, so the file cannot be verified");
        var hash = content.Hash.ToLowerInvariant();
        var limit = _client.Limits.MaxContentBytes;
        if (content.Size > limit)
            return Refused(hash, $"it is {content.Size} bytes, more than the {limit} TAK Can fetches");
        if (await _contents.ContainsAsync(mission, hash, cancellationToken))
            return new MissionContentResult(hash, filename, MissionContentOutcome.AlreadyPresent);

        byte[] bytes;
        try
        {
            bytes = await _client.GetContentAsync(hash, token, cancellationToken);
        }
        catch (MartiException e)
        {
            return Refused(hash, e.Message);
        }

        if (!MartiContentHash.Matches(bytes, hash))
            return Refused(hash, $"the server sent {bytes.Length} bytes whose SHA-256 is {MartiContentHash.Of(bytes)}, not the content's hash; not saved");
        await _contents.SaveAsync(mission, hash, bytes, cancellationToken);
        return new MissionContentResult(hash, filename, MissionContentOutcome.Saved);

        MissionContentResult Refused(string h, string reason) => new(h, filename, MissionContentOutcome.Refused, reason);
    }
}
