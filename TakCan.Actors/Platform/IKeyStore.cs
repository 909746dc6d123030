namespace TakCan.Actors.Platform;

/// <summary>
/// Where a device keeps secrets such as mission key files. Linux uses <see cref="FileKeyStore"/>; a phone host
/// backs this with its secure store (Android Keystore-wrapped storage, iOS Keychain). Names are plain file-like
/// names (no path separators, no <c>..</c>); a secret is opaque bytes.
/// </summary>
public interface IKeyStore
{
    /// <summary>Stores <paramref name="secret"/> under <paramref name="name"/>, replacing any earlier one as a whole.</summary>
    Task SaveAsync(string name, ReadOnlyMemory<byte> secret, CancellationToken cancellationToken = default);

    /// <summary>The secret stored under <paramref name="name"/>, or null when there is none.</summary>
    Task<byte[]?> LoadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Removes the secret; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
