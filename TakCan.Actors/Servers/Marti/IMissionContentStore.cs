namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// Where a device keeps the files of the missions it pulls, by mission and content hash. Linux keeps them under the
/// data directory (<see cref="FileMissionContentStore"/>); a phone host in its app storage. Only contents whose bytes
/// match their hash are given to it.
/// </summary>
public interface IMissionContentStore
{
    /// <summary>True when the content is already kept (it was verified when it was saved).</summary>
    Task<bool> ContainsAsync(string mission, string hash, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="content"/>, replacing any earlier copy as a whole.</summary>
    Task SaveAsync(string mission, string hash, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);
}
