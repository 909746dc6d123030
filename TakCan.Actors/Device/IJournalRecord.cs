namespace TakCan.Actors.Device;

/// <summary>
/// An event or snapshot a device actor persists. Bound to <see cref="JournalSerializer"/>, which stores it under a
/// stable manifest name rather than its .NET type name, so code can be reorganised without breaking journals.
/// </summary>
public interface IJournalRecord;
