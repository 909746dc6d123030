namespace TakCan.Protocols.Enrolment;

/// <summary>
/// One <c>&lt;Content ignore="false" zipEntry="…"&gt;</c> of a MissionPackageManifest, with its optional
/// <c>&lt;Parameter name value/&gt;</c> children (<c>uid</c> of a map item, <c>contentType</c>…).
/// </summary>
public sealed record MissionPackageContent(string ZipEntry, bool Ignore, IReadOnlyDictionary<string, string> Parameters);
