namespace TakCan.Protocols.Enrolment;

/// <summary>
/// One relative distinguished name TAK Server requires in a client certificate request, from
/// <c>&lt;nameEntry name="O" value="…"/&gt;</c> in <c>/Marti/api/tls/config</c>: an attribute short name (O, OU, C, L,
/// ST, DC…) and its exact value.
/// </summary>
public sealed record CertificateNameEntry(string Name, string Value);
