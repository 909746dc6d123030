using TakCan.Protocols.Enrolment;

namespace TakCan.Actors.Servers.Enrolment;

/// <summary>One server connection taken from a data package and what of it was stored.</summary>
/// <param name="Name">The server name the credentials are stored under.</param>
/// <param name="ClientCertificateSubject">The stored client certificate's subject; null when the package carried none.</param>
/// <param name="CaCertificates">How many CA certificates were stored; 0 when the package carried no truststore.</param>
/// <param name="EnrollForCertificate">The package asks the device to enrol for its certificate (<c>enrollForCertificateWithTrust</c>).</param>
public sealed record ImportedServer(
    string Name,
    TakConnectString Server,
    string? Description,
    bool Enabled,
    bool UseAuth,
    bool EnrollForCertificate,
    ServerCredentialNames Stored,
    string? ClientCertificateSubject,
    int CaCertificates);
