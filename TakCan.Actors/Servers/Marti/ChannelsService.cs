using TakCan.Protocols.MartiApi;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// A device's channels on one TAK Server: the groups its certificate belongs to, and which of them are active
/// (specs/marti.md, "Channels"). A channel is a group name; TAK Server lists it once per direction, and switching it
/// switches both. Plain async code over <see cref="MartiClient"/>, so HTTP never runs on an actor thread.
/// </summary>
public sealed class ChannelsService
{
    private readonly MartiClient _client;
    private readonly string? _clientUid;

    /// <param name="clientUid">This device's uid, sent with a new selection so TAK Server tells the device's other connections.</param>
    public ChannelsService(MartiClient client, string? clientUid = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _clientUid = clientUid;
    }

    public Task<IReadOnlyList<MartiGroup>> ListAsync(CancellationToken cancellationToken = default) => _client.ListGroupsAsync(cancellationToken);

    /// <summary>
    /// Makes exactly <paramref name="channels"/> active (every other channel inactive) and returns the server's list
    /// afterwards.
    /// </summary>
    /// <exception cref="MartiException">No channel given, a name the server does not list, or the server refused.</exception>
    public async Task<IReadOnlyList<MartiGroup>> SetActiveAsync(IReadOnlyCollection<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        // With no active channel a TAK Server sends the device nothing (and may refuse the selection).
        if (channels.Count == 0) throw new MartiException("give at least one channel to make active");
        var groups = await _client.ListGroupsAsync(cancellationToken);
        var known = groups.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = channels.Where(c => !known.Contains(c)).ToArray();
        if (unknown.Length > 0)
            throw new MartiException(
                $"the server lists no channel {string.Join(", ", unknown.Select(c => $"'{c}'"))}; its channels are {string.Join(", ", known.Order(StringComparer.Ordinal))}");

        var wanted = channels.ToHashSet(StringComparer.Ordinal);
        await _client.SetActiveGroupsAsync(groups.Select(g => g with { Active = wanted.Contains(g.Name) }), _clientUid, cancellationToken);
        return await _client.ListGroupsAsync(cancellationToken);
    }
}
